"""The template repository's own hygiene: its Python is ruff clean, its scripts shellcheck clean,
its GitHub workflow and Dependabot configuration pass zizmor (offline), actionlint and their
schemas, and its hosted CI is set up as the tests assume. Each tool is shown failing on a planted
defect, so none of these checks passes vacuously."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from shell_scripts import is_shell_script, shell_scripts, shellcheck
from terraform_validate import REQUIRE_ENV
from tools import REPO, run, tool

PYTHON_TREES = ["tests", "hooks", "scripts", "src"]
GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")

BAD_WORKFLOW = """\
name: bad
on: [push]
permissions: {}
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.head_commit.message }}"
"""


def ruff(paths: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return run([tool("ruff"), "check", "--no-cache", "--config", str(REPO / "pyproject.toml"), *paths], cwd=cwd)


def zizmor(folder: Path) -> subprocess.CompletedProcess:
    return run([tool("zizmor"), "--offline", "--no-progress", str(folder)])


def actionlint(files: list[Path]) -> subprocess.CompletedProcess:
    return run([tool("actionlint"), "-no-color", *map(str, files)])


def tracked_shell_scripts() -> list[Path]:
    """The repository's own scripts (git ls-files: never the virtual environments)."""
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    return [REPO / name for name in tracked.splitlines() if is_shell_script(REPO / name)]


def test_python_is_ruff_clean():
    result = ruff(PYTHON_TREES, REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_reports_a_planted_unused_import(tmp_path):
    (tmp_path / "mod.py").write_text("import os\nimport sys\n\nprint(os.sep)\n")
    result = ruff(["mod.py"], tmp_path)
    assert result.returncode == 1 and "F401" in result.stdout, result.stdout


def test_scripts_are_shellcheck_clean():
    scripts = tracked_shell_scripts()
    assert {"scripts/setup.sh", "scripts/test.sh", ".ci/run"} <= {p.relative_to(REPO).as_posix() for p in scripts}
    assert shellcheck(REPO, scripts) == []


def test_shellcheck_reports_a_planted_unquoted_variable(tmp_path):
    (tmp_path / "run").write_text("#!/usr/bin/env bash\necho $1\n")
    findings = shellcheck(tmp_path, shell_scripts(tmp_path))
    assert [(f.path, f.line) for f in findings] == [("run", 2)], findings


def test_github_configuration_passes_zizmor_offline():
    result = zizmor(GITHUB)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_actionlint():
    assert WORKFLOWS
    result = actionlint(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_and_actionlint_report_a_planted_injection(tmp_path):
    workflow = tmp_path / ".github" / "workflows" / "bad.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(BAD_WORKFLOW)
    found = zizmor(tmp_path / ".github")
    assert found.returncode != 0 and "template-injection" in found.stdout + found.stderr, found.stdout
    linted = actionlint([workflow])
    assert linted.returncode == 1 and "potentially untrusted" in linted.stdout, linted.stdout


@pytest.mark.parametrize(
    ("schema", "path"),
    [("vendor.dependabot", GITHUB / "dependabot.yml"), *[("vendor.github-workflows", w) for w in WORKFLOWS]],
    ids=lambda value: value.name if isinstance(value, Path) else value,
)
def test_github_configuration_matches_its_schema(schema, path):
    result = run([tool("check-jsonschema"), "--builtin-schema", schema, str(path)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_updates_the_pinned_actions_and_the_python_tooling():
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text())
    ecosystems = {(u["package-ecosystem"], u["directory"]) for u in config["updates"]}
    assert {("github-actions", "/"), ("pip", "/")} <= ecosystems


def steps() -> list[dict]:
    return [step for w in WORKFLOWS for job in yaml.safe_load(w.read_text())["jobs"].values() for step in job["steps"]]


def test_every_action_is_pinned_to_a_commit_with_its_tag():
    lines = [line for workflow in WORKFLOWS for line in workflow.read_text().splitlines()]
    uses = [line.split("uses:", 1)[1].strip() for line in lines if "uses:" in line]
    assert uses and all(PINNED.match(u) for u in uses), uses


def test_hosted_ci_sets_up_the_projects_python():
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    lowest = re.fullmatch(r">=\s*(\d+\.\d+)", requires)[1]
    setup = [s for s in steps() if s.get("uses", "").startswith("actions/setup-python@")]
    assert [s["with"]["python-version"] for s in setup] == [lowest]


def test_hosted_ci_fails_where_terraform_validate_cannot_run():
    jobs = [
        (workflow.name, name, job)
        for workflow in WORKFLOWS
        for name, job in yaml.safe_load(workflow.read_text())["jobs"].items()
        if any(".ci/run" in step.get("run", "") for step in job["steps"])
    ]
    assert jobs, "no hosted job runs .ci/run"
    for workflow, name, job in jobs:
        assert job.get("env", {}).get(REQUIRE_ENV) == "1", f"{workflow}: job {name} lets terraform validate skip"
