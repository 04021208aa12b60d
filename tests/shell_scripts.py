"""Shell scripts and shellcheck: the matrix checker of the rendered projects' scripts
(tests/checks/shellcheck.py) and tests/test_hygiene.py, for the template repository's own."""

import json
from pathlib import Path

from checks import Finding, project_files
from tools import run, tool

SHEBANGS = (b"#!/bin/sh", b"#!/usr/bin/env bash", b"#!/bin/bash", b"#!/usr/bin/env sh")


def is_shell_script(path: Path) -> bool:
    """A shell script by its suffix, or by its shebang when it has no suffix."""
    return path.suffix in {".sh", ".bash"} or (not path.suffix and path.read_bytes()[:32].startswith(SHEBANGS))


def shell_scripts(root: Path) -> list[Path]:
    return [path for path in project_files(root) if is_shell_script(path)]


def shellcheck(root: Path, scripts: list[Path]) -> list[Finding]:
    if not scripts:
        return []
    relative = [str(p.relative_to(root)) for p in scripts]
    result = run([tool("shellcheck"), "--format", "json", *relative], cwd=root)
    return [
        Finding("shellcheck", item["file"], item["line"], f"SC{item['code']} {item['message']}")
        for item in json.loads(result.stdout or "[]")
    ]
