"""The generated README's first steps on a machine without uv: `make install`, then `make test`.

A fresh machine has Python and git; `make install` must bring uv itself (into .tools/) and the
project's own tests must pass through the Makefile, as the README tells its users.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import render

pytestmark = pytest.mark.slow


def path_without_uv() -> str:
    folders = [folder for folder in os.environ["PATH"].split(os.pathsep) if folder]
    return os.pathsep.join(folder for folder in folders if not shutil.which("uv", path=folder))


def test_make_install_then_make_test_without_uv_on_path(tmp_path):
    project = render(tmp_path / "project", {})
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "MLFLOW_TRACKING_URI"}}
    env["PATH"] = path_without_uv()
    assert shutil.which("uv", path=env["PATH"]) is None

    def make(target: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            ["make", target], cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False
        )
        assert result.returncode == 0, f"make {target}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        return result

    assert "uv not found: installing it into .tools/" in make("install").stdout
    assert (project / ".tools" / "bin" / "uv").is_file()
    assert " passed" in make("test").stdout
    ignored = subprocess.run(
        ["git", "status", "--porcelain", ".tools", ".venv"], cwd=project, capture_output=True, text=True
    )
    assert ignored.stdout == "", ".tools/ and .venv/ must be ignored by git"
