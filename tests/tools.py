"""Where the test suite finds its external tools (installed by scripts/setup.sh)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# checkov pins an old `packaging` that conflicts with pytest 9: it has a virtual environment of its own.
CHECKOV_VENV_BIN = REPO / ".venv-checkov" / "bin"
CACHE = REPO / ".cache"
# npm tools installed by scripts/setup.sh into a repository-local, git-ignored folder.
NPM_BIN = REPO / ".tools" / "npm" / "node_modules" / ".bin"


def tool(name: str) -> str:
    """Absolute path of a tool: the test venv first, then checkov's venv, then PATH."""
    for folder in (VENV_BIN, CHECKOV_VENV_BIN, NPM_BIN):
        candidate = folder / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is not installed: run scripts/setup.sh")
    return found


def run(args: list[str], cwd: Path | None = None, env: dict | None = None, timeout: int = 900):
    """Run a tool and return the completed process (never raises on a non-zero exit)."""
    return subprocess.run(
        args,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
