"""The named answer sets of tests/answer_sets.yml."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

ANSWER_SETS_FILE = Path(__file__).resolve().parent / "answer_sets.yml"


@cache
def _all() -> dict[str, dict]:
    return yaml.safe_load(ANSWER_SETS_FILE.read_text())


def answer_sets(*names: str) -> dict[str, dict]:
    """{name: answers} for the given names, in that order (a KeyError names an unknown set)."""
    return {name: dict(_all()[name]) for name in names}


def answer_set(name: str) -> dict:
    return answer_sets(name)[name]
