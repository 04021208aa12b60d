"""The post-copy task: terraform fmt through the adapter (errors raised), git init + first commit."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import render
from tools import REPO, tool

sys.path.insert(0, str(REPO / "hooks"))

import terraform_adapter  # noqa: E402


def test_adapter_formats_and_lists_rewritten_files(tmp_path):
    (tmp_path / "main.tf").write_text('variable "x" {\ntype=string\n}\n')
    rewritten = terraform_adapter.fmt(tmp_path, tool("terraform"))
    assert rewritten == ["main.tf"]
    assert (tmp_path / "main.tf").read_text() == 'variable "x" {\n  type = string\n}\n'


def test_adapter_raises_on_invalid_terraform(tmp_path):
    (tmp_path / "main.tf").write_text('variable "x" {\n  type =\n')
    with pytest.raises(terraform_adapter.TerraformError, match="terraform fmt failed"):
        terraform_adapter.fmt(tmp_path, tool("terraform"))


def git(project, *args):
    return subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True).stdout


def test_copy_initialises_repository_with_one_clean_commit(default_project):
    assert git(default_project, "log", "--format=%s").splitlines() == ["Initial commit from mlops-scaffold"]
    assert git(default_project, "status", "--porcelain") == ""


def test_copy_into_existing_repository_keeps_its_history(tmp_path):
    project = tmp_path / "existing"
    project.mkdir()
    git(project, "init", "--quiet")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--allow-empty", "-qm", "mine")
    render(project, {})
    assert git(project, "log", "--format=%s").splitlines() == ["mine"]


def test_copy_inside_an_enclosing_repository_gets_a_repository_of_its_own(tmp_path):
    """A project generated in a sub-folder of a repository (a monorepo, or the template clone)."""
    outer = tmp_path / "monorepo"
    outer.mkdir()
    git(outer, "init", "--quiet")
    project = render(outer / "services" / "churn", {})
    assert git(project, "rev-parse", "--show-toplevel").strip() == str(project)
    assert git(project, "log", "--format=%s").splitlines() == ["Initial commit from mlops-scaffold"]
