"""`copier update` on a generated project: the user's edits survive, template changes arrive, and
a conflict is marked inline, never silently dropped (the validation pyramid's last layer).

The template is cloned into a scratch repository and tagged there, so the test controls both the
old and the new version without touching this repository's tags.
"""

from __future__ import annotations

import shutil
import subprocess

import copier
import pytest
import yaml

from tools import REPO

IDENTITY = ["-c", "user.name=test", "-c", "user.email=test@example.com"]


def git(cwd, *args):
    return subprocess.run(["git", *IDENTITY, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def template(tmp_path):
    """A snapshot of the working tree as a git repository tagged v1.0.0."""
    source = tmp_path / "template"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", ".venv*", ".cache", "site", "__pycache__"))
    git(source, "init", "-q")
    git(source, "add", "-A")
    git(source, "commit", "-qm", "v1")
    git(source, "tag", "v1.0.0")
    return source


def release(template, relative, edit, tag):
    path = template / "template" / relative
    path.write_text(edit(path.read_text()))
    git(template, "commit", "-qam", f"release {tag}")
    git(template, "tag", tag)


def test_update_keeps_user_edits_and_brings_template_changes(tmp_path, template):
    project = tmp_path / "project"
    copier.run_copy(str(template), project, defaults=True, unsafe=True, quiet=True, vcs_ref="v1.0.0")
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v1.0.0"

    # The user edits a generated file and commits.
    gitignore = project / ".gitignore"
    gitignore.write_text(gitignore.read_text() + "\n# team additions\n/scratch/\n")
    git(project, "commit", "-qam", "ignore scratch")

    # The template ships a new version that changes another file.
    release(template, ".editorconfig", lambda text: text + "\n[*.sql]\nindent_size = 2\n", "v1.1.0")

    copier.run_update(project, defaults=True, unsafe=True, quiet=True, overwrite=True, vcs_ref="v1.1.0")

    assert "/scratch/" in gitignore.read_text(), "the user's edit was lost"
    assert "[*.sql]" in (project / ".editorconfig").read_text(), "the template change did not arrive"
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v1.1.0"


def test_update_marks_conflicts_inline_and_names_the_files(tmp_path, template, capfd):
    project = tmp_path / "project"
    copier.run_copy(str(template), project, defaults=True, unsafe=True, quiet=True, vcs_ref="v1.0.0")
    codeowners = project / "CODEOWNERS"
    codeowners.write_text(codeowners.read_text().replace("/policies/ ", "/policies/  @acme/security "))
    git(project, "commit", "-qam", "security owns policies")

    release(
        template, "CODEOWNERS.jinja", lambda text: text.replace("/policies/ ", "/policies/  @acme/audit "), "v1.1.0"
    )
    copier.run_update(
        project, defaults=True, unsafe=True, quiet=True, overwrite=True, vcs_ref="v1.1.0", conflict="inline"
    )

    text = codeowners.read_text()
    assert "<<<<<<<" in text and ">>>>>>>" in text, "the conflict was not marked"
    assert "@acme/security" in text and "@acme/audit" in text, "one side of the conflict was dropped"
    output = capfd.readouterr()
    assert "copier update left conflicts in 1 file(s)" in output.out + output.err
    assert "  CODEOWNERS\n" in output.out + output.err


def test_update_with_a_bad_answer_changes_nothing(tmp_path, template):
    project = tmp_path / "project"
    copier.run_copy(str(template), project, defaults=True, unsafe=True, quiet=True, vcs_ref="v1.0.0")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".git" not in p.parts}
    with pytest.raises(ValueError, match="gpu_type"):
        copier.run_update(
            project,
            data={"cloud_provider": "gcp", "gpu_type": "a10g"},
            defaults=True,
            unsafe=True,
            quiet=True,
            overwrite=True,
        )
    after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert after == before
