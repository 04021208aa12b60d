"""Shared fixtures: render the template once per variant per session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import copier
import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
# This checkout's own package, whichever checkout the shared venv's editable install points to.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from mlops_scaffold.matrix import variant_id, variants  # noqa: E402
from tools import REPO  # noqa: E402


def render(dst: Path, answers: dict | None = None, vcs_ref: str | None = None, skip_tasks: bool = False) -> Path:
    """Render the template (working tree, uncommitted changes included) into ``dst``."""
    copier.run_copy(
        str(REPO),
        dst,
        data=answers or {},
        defaults=True,
        unsafe=True,
        quiet=True,
        vcs_ref=vcs_ref,
        skip_tasks=skip_tasks,
    )
    return dst


def read_answers(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


class RenderCache:
    """Renders each answer set at most once per session (rendering runs git and terraform fmt)."""

    def __init__(self, root: Path):
        self.root = root
        self.projects: dict[tuple[str, bool], Path] = {}

    def get(self, name: str, answers: dict, skip_tasks: bool = False) -> Path:
        # A render without the post-copy tasks (no git repository) is a different project: keyed apart.
        key = (name, skip_tasks)
        if key not in self.projects:
            folder = name if not skip_tasks else f"{name}-no-tasks"
            self.projects[key] = render(self.root / folder / "project", answers, skip_tasks=skip_tasks)
        return self.projects[key]


@pytest.fixture(scope="session")
def render_cache(tmp_path_factory) -> RenderCache:
    return RenderCache(tmp_path_factory.mktemp("variants"))


@pytest.fixture(scope="session", params=variants(), ids=[variant_id(v) for v in variants()])
def variant(request, render_cache) -> tuple[Path, dict]:
    """A rendered variant of the matrix and its answers, rendered with copier's tasks skipped, as
    users without terraform get it: the post-copy `terraform fmt` would hide unformatted templates."""
    project = render_cache.get(variant_id(request.param), request.param, skip_tasks=True)
    return project, read_answers(project)


@pytest.fixture(scope="session")
def default_project(render_cache) -> Path:
    """The project `copier copy --defaults` renders (the README's first command)."""
    return render_cache.get("defaults", {})


@pytest.fixture(scope="session")
def installed_cli(tmp_path_factory) -> Path:
    """The `mlops-scaffold` console script as a user installs it: this checkout's package in a
    virtual environment of its own (the test venv's editable install may point elsewhere)."""
    venv = tmp_path_factory.mktemp("cli") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "-e", str(REPO)], capture_output=True, text=True, check=False
    )
    assert install.returncode == 0, install.stderr[-3000:]
    return venv / "bin" / "mlops-scaffold"
