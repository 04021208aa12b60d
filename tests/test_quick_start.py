"""The README's quick start, run as a new user runs it: from the root of a fresh clone.

The clone is a scratch repository holding this working tree as one commit (tagged v0.1.0), with
its own virtual environment made by the script itself. Each test states one promise of
`scripts/mlops-scaffold new` (the installed console script): the project lands outside the clone
with a history of its own, bad answers and unsafe requests are refused with one short message,
and `copier update` works later.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from test_docs import readme_commands
from tools import REPO

IDENTITY = ["-c", "user.name=test", "-c", "user.email=test@example.com"]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *IDENTITY, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("quick-start") / "mlops-scaffold"
    ignore = shutil.ignore_patterns(".git", ".venv*", ".cache", "site", "__pycache__", "*.egg-info")
    shutil.copytree(REPO, root, ignore=ignore)
    git(root, "init", "-q", "--initial-branch=main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "template")
    git(root, "tag", "v0.1.0")
    return root


def run(clone: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(clone / "scripts" / "mlops-scaffold"), "new", "--defaults", *args],
        cwd=cwd or clone,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def quick_start(clone) -> tuple[Path, subprocess.CompletedProcess]:
    """The README's first command, exactly as written, from the root of the clone."""
    command = shlex.split(readme_commands()[0])
    result = subprocess.run(command, cwd=clone, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    destination = next(arg for arg in command[command.index("new") + 1 :] if not arg.startswith("-"))
    return (clone / destination).resolve(), result


def test_readme_command_writes_the_project_beside_the_clone_and_says_where(clone, quick_start):
    project, result = quick_start
    assert clone not in project.parents, f"{project} is inside the template clone"
    assert f"into {project}" in result.stdout
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert (answers["cloud_provider"], answers["gpu_type"], answers["_commit"]) == ("aws", "l4", "v0.1.0")
    assert git(clone, "status", "--porcelain") == "", "generating left files in the template clone"


def test_project_has_its_own_clean_history(quick_start):
    project, _ = quick_start
    assert git(project, "rev-parse", "--show-toplevel").strip() == str(project)
    assert git(project, "log", "--format=%s").splitlines() == ["Initial commit from mlops-scaffold"]
    assert git(project, "status", "--porcelain") == ""


def test_copier_update_reaches_a_new_template_release(clone, quick_start):
    project, _ = quick_start
    editorconfig = clone / "template" / ".editorconfig"
    editorconfig.write_text(editorconfig.read_text() + "\n[*.sql]\nindent_size = 2\n")
    git(clone, "commit", "-qam", "release 0.2.0")
    git(clone, "tag", "v0.2.0")
    copier = clone / ".venv" / "bin" / "copier"
    result = subprocess.run(
        [str(copier), "update", "--trust", "--defaults"], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "[*.sql]" in (project / ".editorconfig").read_text()
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v0.2.0"
    assert "copier update: no conflicts." in result.stdout + result.stderr


def test_destination_inside_the_clone_is_refused(clone, quick_start):
    result = run(clone, "my-mlops-project")
    assert result.returncode == 2
    message = " ".join(result.stderr.split())  # wrapped at 79 columns
    assert "inside the template repository" in message and "mlops-scaffold new ../my-mlops-project" in message
    assert not (clone / "my-mlops-project").exists()


def test_uncommitted_template_changes_are_refused_unless_allowed(clone, quick_start, tmp_path):
    readme = clone / "README.md"
    original = readme.read_text()
    readme.write_text(original + "\nlocal edit\n")
    try:
        refused = run(clone, str(tmp_path / "refused"))
        assert refused.returncode == 2
        message = " ".join(refused.stderr.split())  # wrapped at 79 columns
        assert "uncommitted change(s) (README.md)" in message and "--allow-dirty-template" in message
        assert not (tmp_path / "refused").exists()
        allowed = run(clone, str(tmp_path / "allowed"), "--allow-dirty-template")
        assert allowed.returncode == 0, allowed.stderr[-3000:]
    finally:
        readme.write_text(original)


BAD = {
    "a10g-on-gcp": (["--data", "cloud_provider=gcp", "--data", "gpu_type=a10g"], "gpu_type: not offered on Google"),
    "gdpr-outside-eu": (["--data", "compliance_profile=gdpr", "--data", "aws_region=us-east-1"], "aws_region: outside"),
    "bad-email": (["--data", "author_email=nobody"], "author_email: expected an e-mail address"),
    "not-key-value": (["--data", "gpu_type"], "--data: expected KEY=VALUE"),
}


@pytest.mark.parametrize(("args", "expected"), BAD.values(), ids=BAD.keys())
def test_bad_answer_gives_one_short_message_and_writes_nothing(clone, quick_start, tmp_path, args, expected):
    destination = tmp_path / "project"
    result = run(clone, str(destination), *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr, result.stderr
    message = result.stderr.strip()
    assert message.startswith(f"error: {expected}"), message
    assert all(len(line) <= 80 for line in message.splitlines()), message
    assert len(message.splitlines()) <= 4, message
    assert not destination.exists()
