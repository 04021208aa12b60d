"""The `mlops-scaffold` command as installed (its console script in a virtual environment of its own):
the catalogue, `new` from flags and from the preset picker (driven through a pseudo-terminal),
`status` and `update` over several projects, and bad input refused with exit 2 and nothing changed.

The projects come from a temporary clone of the template tagged v0.1.0, which then gets a v0.2.0.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pexpect
import pytest
import yaml

from mlops_scaffold import catalogue as catalogues
from tools import REPO

IDENTITY = ["-c", "user.name=test", "-c", "user.email=test@example.com"]
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\r")
PRESETS = ["aws-eks-gpu-training", "gcp-gke-gpu-training", "aws-vm-starter", "multi-cloud-hipaa"]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *IDENTITY, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def answers(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def snapshot(project: Path) -> dict:
    """Every file of a project and its git HEAD: what "nothing changed" compares."""
    files = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".git" not in p.parts}
    return {"files": files, "head": git(project, "rev-parse", "HEAD")}


@pytest.fixture(scope="module")
def cli(installed_cli):
    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(installed_cli), *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            env={**os.environ, "COLUMNS": "250"},  # one table row per line
        )

    return run


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli") / "mlops-scaffold"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".git", ".venv*", ".cache", "site", "__pycache__"))
    git(root, "init", "-q", "--initial-branch=main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "release 0.1.0")
    git(root, "tag", "v0.1.0")
    return root


@pytest.fixture(scope="module")
def fleet(cli, template) -> list[Path]:
    """Two projects from the aws-vm-starter preset at v0.1.0; then the template releases v0.2.0."""
    projects = [template.parent / "projects" / name for name in ("alpha", "beta")]
    for project in projects:
        result = cli("--catalogue", str(template / "catalogue.yml"), "new", str(project), "--preset", "aws-vm-starter")
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    editorconfig = template / "template" / ".editorconfig"
    editorconfig.write_text(editorconfig.read_text() + "\n[*.sql]\nindent_size = 2\n")
    git(template, "commit", "-qam", "release 0.2.0")
    git(template, "tag", "v0.2.0")
    return projects


def refused(result: subprocess.CompletedProcess, *phrases: str) -> str:
    """Exit 2, no traceback, every phrase in the message (whitespace of the wrapping ignored)."""
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr
    message = " ".join(result.stderr.split())
    for phrase in phrases:
        assert phrase in message, message
    return message


# ─── help, list, catalogue ───────────────────────────────────────────────────
@pytest.mark.parametrize(
    "command", [[], ["list"], ["new"], ["status"], ["update"], ["catalogue"], ["catalogue", "validate"]], ids=" ".join
)
def test_every_command_has_help(cli, command):
    result = cli(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: mlops-scaffold {' '.join(command)}".rstrip()), result.stdout


def test_bad_usage_exits_2(cli):
    assert cli().returncode == 2
    assert cli("update", "--jobs", "many").returncode == 2
    refused(cli("update", "--jobs", "0"), "--jobs: expected a whole number of 1 or more")


def test_list_shows_the_presets_with_their_descriptions(cli, template):
    result = cli("--catalogue", str(template / "catalogue.yml"), "list")
    assert result.returncode == 0, result.stderr
    catalogue = catalogues.load(template / "catalogue.yml")
    assert list(catalogue.presets) == PRESETS
    for preset in catalogue.presets.values():
        row = next(line for line in result.stdout.splitlines() if f" {preset.name} " in line)
        assert preset.description in row


def test_the_default_catalogue_is_valid(cli):
    result = cli("catalogue", "validate", str(REPO / "catalogue.yml"))
    assert result.returncode == 0, result.stderr
    assert "valid (4 presets" in result.stdout
    assert catalogues.validate(catalogues.load(REPO / "catalogue.yml")) == []


def test_the_catalogue_comes_from_the_environment_variable(cli, template, tmp_path, monkeypatch):
    own = tmp_path / "team.yml"
    own.write_text(f"template: {{source: {template}}}\npresets:\n  only-one:\n    description: The team's own.\n")
    monkeypatch.setenv(catalogues.ENV_VAR, str(own))
    result = cli("list")
    assert result.returncode == 0 and "only-one" in result.stdout and "aws-vm-starter" not in result.stdout


BAD_CATALOGUE = """
template:
  source: {template}
team:
  answers:
    aws_region: us-east-1
    cost_centre: ml-42
  allowed_gpu_types: [t4, l4, v100]
presets:
  unknown-question:
    description: A misspelt question.
    answers: {{gpu_typ: l4}}
  outside-choices:
    description: A value that is not a choice.
    answers: {{ml_framework: tensorflow}}
  refused-by-validator:
    description: A10G is AWS only.
    answers: {{cloud_provider: gcp, gpu_type: a10g}}
  refused-by-rule:
    description: HIPAA keeps records six years.
    answers: {{compliance_profile: hipaa, data_retention_days: 30}}
  not-allowed-gpu:
    description: H100 is not in the team's list.
    answers: {{gpu_type: h100}}
  typo-in-key:
    description: answer instead of answers.
    answer: {{gpu_type: l4}}
"""


def test_invalid_catalogue_names_each_preset_and_question(cli, template, tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD_CATALOGUE.format(template=template))
    structure = refused(cli("catalogue", "validate", str(bad)), "presets.typo-in-key.answer: Extra inputs")

    bad.write_text(BAD_CATALOGUE.format(template=template).split("  typo-in-key:")[0])
    message = refused(cli("catalogue", "validate", str(bad)))
    for expected in [
        "preset 'unknown-question': gpu_typ: not a question of copier.yml",
        "preset 'outside-choices': ml_framework: 'tensorflow' is not one of the choices (sklearn, pytorch)",
        "preset 'refused-by-validator': gpu_type: not offered on Google Cloud",
        "preset 'refused-by-rule': data_retention_days: the 'hipaa' profile keeps records for at least 6 years",
        "preset 'not-allowed-gpu': gpu_type: 'h100' is not allowed by the team",
        "team.answers (under preset 'unknown-question'): cost_centre: not a question of copier.yml",
        "team.allowed_gpu_types: 'v100' is not one of gpu_type's choices",
    ]:
        assert expected in message, message
    assert "aws_region" not in message, "a team answer that applies cleanly was reported"
    assert structure != message


def test_new_from_an_invalid_preset_writes_nothing(cli, template, tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD_CATALOGUE.format(template=template).split("  typo-in-key:")[0])
    destination = tmp_path / "project"
    refused(
        cli("--catalogue", str(bad), "new", str(destination), "--preset", "refused-by-validator", "--defaults"),
        "error: preset 'refused-by-validator': gpu_type: not offered on Google Cloud",
    )
    assert not destination.exists()


def test_unknown_preset_writes_nothing(cli, template, tmp_path):
    destination = tmp_path / "project"
    refused(
        cli("--catalogue", str(template / "catalogue.yml"), "new", str(destination), "--preset", "gpu-on-mars"),
        "no preset 'gpu-on-mars'; the presets are: aws-eks-gpu-training, gcp-gke-gpu-training",
    )
    assert not destination.exists()


def test_unreachable_template_source_of_a_preset_writes_nothing(cli, tmp_path):
    catalogue = tmp_path / "remote.yml"
    catalogue.write_text(
        f"template: {{source: 'file://{tmp_path}/gone.git'}}\npresets:\n  gone:\n    description: Gone.\n"
    )
    destination = tmp_path / "project"
    refused(cli("--catalogue", str(catalogue), "new", str(destination), "--preset", "gone"), "cannot be reached")
    assert not destination.exists()


# ─── new ─────────────────────────────────────────────────────────────────────
def test_new_from_flags_uses_preset_team_defaults_and_data(fleet):
    recorded = answers(fleet[0])
    assert recorded["compute_platform"] == "vm" and recorded["gpu_type"] == "t4"  # the preset
    assert recorded["environments"] == ["dev"] and recorded["monthly_budget_usd"] == 300
    assert recorded["repository_owner"] == "acme"  # the team's default
    assert recorded["_commit"] == "v0.1.0" and "gcp_region" not in recorded


def test_new_picks_a_preset_interactively_then_copier_asks_the_rest(installed_cli, template, tmp_path):
    destination = tmp_path / "picked"
    child = pexpect.spawn(
        str(installed_cli),
        ["--catalogue", str(template / "catalogue.yml"), "new", str(destination), "--vcs-ref", "v0.1.0"],
        encoding="utf-8",
        timeout=60,
        dimensions=(60, 220),
        # No cursor-position requests: prompt_toolkit would wait for an answer a pty never gives.
        env={**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "220"},
    )
    screen = ""

    def wait_for(text: str, timeout: float = 60) -> None:
        nonlocal screen
        deadline = time.monotonic() + timeout
        while text not in screen:
            assert time.monotonic() < deadline and child.isalive(), f"waited for {text!r}:\n{screen[-3000:]}"
            with contextlib.suppress(pexpect.TIMEOUT):
                screen += ANSI.sub("", child.read_nonblocking(100_000, timeout=0.5))

    wait_for("Which preset?")
    for name in PRESETS:
        wait_for(name)
    child.send("\x1b[B")  # down: gcp-gke-gpu-training
    time.sleep(0.2)
    child.send("\r")
    wait_for("Human-readable name of the project")  # copier's first question: the preset answered cloud and GPU
    deadline = time.monotonic() + 180
    while child.isalive():  # every other question: its default (the team's where it has one)
        assert time.monotonic() < deadline, screen[-3000:]
        child.send("\r")
        with contextlib.suppress(pexpect.TIMEOUT, pexpect.EOF):
            screen += ANSI.sub("", child.read_nonblocking(100_000, timeout=0.3))
    child.close()
    assert child.exitstatus == 0, screen[-3000:]
    assert "Cloud(s) the infrastructure is generated for" not in screen, "copier asked what the preset answered"
    recorded = answers(destination)
    assert (recorded["cloud_provider"], recorded["gpu_type"], recorded["ml_framework"]) == ("gcp", "l4", "pytorch")
    assert recorded["repository_owner"] == "acme" and recorded["gcp_region"] == "us-central1"


# ─── status ──────────────────────────────────────────────────────────────────
def table_row(output: str, project: Path) -> list[str]:
    row = next(line for line in output.splitlines() if f" {project} " in line)
    return [cell.strip() for cell in re.split(r"[│|┃]", row) if cell.strip()]


def test_status_shows_versions_pending_and_dirty(cli, fleet):
    alpha, beta = fleet
    (beta / "scratch.txt").write_text("work in progress\n")
    try:
        result = cli("status", str(alpha), str(beta))
    finally:
        (beta / "scratch.txt").unlink()
    assert result.returncode == 0, result.stderr
    assert table_row(result.stdout, alpha)[1:] == ["v0.1.0", "v0.2.0", "yes", "clean"]
    assert table_row(result.stdout, beta)[1:] == ["v0.1.0", "v0.2.0", "yes", "dirty (1)"]


def test_status_of_a_path_that_is_not_a_project(cli, fleet, template):
    result = cli("status", str(fleet[0]), str(template))
    refused(result, f"{template}: not a copier project (no .copier-answers.yml)")
    assert table_row(result.stdout, fleet[0])[1] == "v0.1.0"


# ─── update refusals: exit 2, and no project changes, not even the good one ──
@contextlib.contextmanager
def committed_answer(project: Path, key: str, value: str):
    """The answers file records ``key: value`` (committed), restored afterwards."""
    path = project / ".copier-answers.yml"
    text = path.read_text()
    path.write_text(re.sub(rf"^{key}: .*$", f"{key}: {value}", text, flags=re.M))
    git(project, "commit", "-qam", f"set {key}")
    try:
        yield
    finally:
        git(project, "reset", "-q", "--hard", "HEAD~1")


def assert_nothing_changed(before: list[dict], fleet: list[Path]) -> None:
    for project, state in zip(fleet, before, strict=True):
        assert snapshot(project) == state, f"{project} changed"


def test_update_refuses_a_dirty_project(cli, fleet):
    alpha, beta = fleet
    readme = beta / "README.md"
    readme.write_text(readme.read_text() + "\nuncommitted\n")
    try:
        before = [snapshot(p) for p in fleet]
        message = refused(cli("update", str(alpha), str(beta)), f"{beta}: 1 uncommitted change(s) (README.md)")
        assert "nothing was updated" in message
        assert_nothing_changed(before, fleet)
    finally:
        git(beta, "checkout", "-q", "README.md")


def test_update_refuses_a_path_that_is_not_a_project(cli, fleet, tmp_path):
    before = [snapshot(p) for p in fleet]
    refused(cli("update", *map(str, fleet), str(tmp_path)), f"{tmp_path}: not a copier project")
    refused(cli("update", str(tmp_path / "missing")), f"{tmp_path / 'missing'}: no such folder")
    assert_nothing_changed(before, fleet)


def test_update_refuses_an_unreachable_template_source(cli, fleet, tmp_path):
    with committed_answer(fleet[1], "_src_path", str(tmp_path / "moved-away")):
        before = [snapshot(p) for p in fleet]
        refused(cli("update", *map(str, fleet)), f"{fleet[1]}: template source", "cannot be reached")
        assert_nothing_changed(before, fleet)


def test_update_refuses_a_commit_the_template_does_not_have(cli, fleet):
    with committed_answer(fleet[1], "_commit", "v9.9.9"):
        before = [snapshot(p) for p in fleet]
        refused(
            cli("update", *map(str, fleet)),
            f"{fleet[1]}: _commit 'v9.9.9' does not exist in the template source",
            "tags: v0.1.0, v0.2.0",
            "copier recopy",
        )
        assert_nothing_changed(before, fleet)


# ─── update: last, it changes the fleet ──────────────────────────────────────
def test_update_in_parallel_reports_each_project_and_exits_1_when_one_fails(cli, fleet):
    alpha, beta = fleet
    # beta's recorded answers became invalid (A10G on Google Cloud): copier refuses to render it.
    path = beta / ".copier-answers.yml"
    text = path.read_text().replace("cloud_provider: aws", "cloud_provider: gcp")
    path.write_text(text.replace("gpu_type: t4", "gpu_type: a10g"))
    git(beta, "commit", "-qam", "answers edited by hand")

    result = cli("update", str(alpha), str(beta), "--jobs", "2")

    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert table_row(result.stdout, alpha)[1:] == ["v0.1.0", "v0.2.0", table_row(result.stdout, alpha)[3], "-"]
    assert int(table_row(result.stdout, alpha)[3]) == 2  # .copier-answers.yml and .editorconfig
    assert table_row(result.stdout, beta)[2] == "v0.1.0 (failed)"
    assert f"failed: {beta}: " in " ".join(result.stderr.split()) and "gpu_type" in result.stderr
    assert answers(alpha)["_commit"] == "v0.2.0" and "[*.sql]" in (alpha / ".editorconfig").read_text()
    assert answers(beta)["_commit"] == "v0.1.0"

    # Committed, alpha is at the newest release: listed once however often it is named, and skipped.
    git(alpha, "add", "-A")
    git(alpha, "commit", "-qm", "template v0.2.0")
    again = cli("update", str(alpha), f"{alpha}/../{alpha.name}")
    assert again.returncode == 0, again.stderr
    assert table_row(again.stdout, alpha)[1:] == ["v0.2.0", "v0.2.0", "0", "-"]
    assert again.stdout.count(f" {alpha} ") == 1
