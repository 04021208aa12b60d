"""Pluggable static-check harness: one checker per tool, each reporting file and line.

A checker is a function ``(project: Path, answers: dict) -> list[Finding]`` registered with
``@checker("name")``; an optional ``applies(answers)`` predicate limits it to the variants it
concerns. Every module in this package is imported by :func:`all_checkers`, so adding a tool is
one new module of a few lines.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Answers = dict


@dataclass(frozen=True)
class Finding:
    checker: str
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"[{self.checker}] {where}: {self.message}"


@dataclass(frozen=True)
class Checker:
    name: str
    run: Callable[[Path, Answers], list[Finding]]
    applies: Callable[[Answers], bool]


_REGISTRY: dict[str, Checker] = {}


def checker(name: str, applies: Callable[[Answers], bool] = lambda answers: True):
    """Register a checker under ``name``."""

    def register(func: Callable[[Path, Answers], list[Finding]]):
        if name in _REGISTRY:
            raise ValueError(f"checker {name!r} registered twice")
        _REGISTRY[name] = Checker(name, func, applies)
        return func

    return register


def all_checkers() -> dict[str, Checker]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return dict(sorted(_REGISTRY.items()))


def project_files(project: Path, *suffixes: str) -> list[Path]:
    """Files of the rendered project with one of ``suffixes``, outside .git and virtual envs."""
    skip = {".git", ".venv", "node_modules", ".terraform"}
    return sorted(
        path
        for path in project.rglob("*")
        if path.is_file()
        and not skip.intersection(path.relative_to(project).parts)
        and (not suffixes or path.name.endswith(suffixes))
    )
