"""`copier update` from the last release, over the render matrix: what users actually have.

Each answer set (a matrix variant plus non-default answers to every free-text question) is
rendered at the last release, committed and edited as a user would, then updated to this working
tree. Every answer must survive, in `.copier-answers.yml` and where it is rendered; the user's
edits must survive; no conflict is marked unless it is listed below. A question renamed or removed
without a migration fails here: its recorded answer disappears from the answers file.

The repository is cloned into a scratch directory and the working tree (uncommitted changes
included) committed on top, so copier reaches both versions without touching this repository.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import copier
import pytest

from conftest import read_answers
from mlops_scaffold.matrix import asked, questions, variant_id, variants
from tools import REPO

# The last release: the newest v* tag of this repository. While there is none, this commit (main
# when the test was written). Move it forward when a release is cut (better: tag the release).
LAST_RELEASE_COMMIT = "c12580b7272e6428ff279a1b7566f3b895665f7c"

# Questions renamed (new name) or removed (None) since the last release, each with a migration in
# copier.yml that carries the recorded answer over. Empty: nothing was renamed since.
RENAMED: dict[str, str | None] = {}

# Questions added since the last release: the release cannot record them; the update takes their
# default (the comparison with a fresh render below then checks that default's files).
NEW_SINCE_RELEASE: set[str] = {"data_engine", "feature_store", "gcp_groups_domain", "p99_latency_ms"}

# Files where an update from the last release is expected to mark a conflict: {path: why}.
EXPECTED_CONFLICTS: dict[str, str] = {}

IDENTITY = ["-c", "user.name=test", "-c", "user.email=test@example.com"]
CONFLICT = re.compile(r"^(<{7}|>{7})( |$)", re.M)
IGNORED = {".git"}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *IDENTITY, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def last_release() -> str:
    """The newest v* tag, else LAST_RELEASE_COMMIT."""
    tags = git(REPO, "tag", "--list", "v*", "--sort=-v:refname").split()
    return tags[0] if tags else LAST_RELEASE_COMMIT


def user_answers(variant: dict) -> dict:
    """The variant's choices plus a non-default answer to every free-text question it is asked."""
    hipaa = variant["compliance_profile"] == "hipaa"
    extra = {
        "project_name": "Fraud Detector",
        "project_slug": "fraud-detector-svc",
        "package_name": "fraud_detector",
        "description": "Score card transactions for fraud in near real time.",
        "author_name": "Risk ML Team",
        "author_email": "risk-ml@example.org",
        "repository_owner": "acme/risk" if variant["ci_provider"] == "gitlab" else "acme-risk",
        "repository_name": "fraud-detector-ml",
        "gcp_project_id": "fraud-ml-4821",
        "gpu_max_nodes": 6,
        "monthly_budget_usd": 2500,
        "budget_alert_emails": "finops@example.org, risk-ml@example.org",
        "api_allowed_cidrs": "203.0.113.0/24, 198.51.100.0/24",
        "canary_weight_percent": 25,
        "drift_threshold": 0.35,
        "p99_latency_ms": 400,
        "gcp_groups_domain": "risk.example.org",
        "data_scientists": "@acme-risk/fraud-ds",
        "ml_engineers": "@acme-risk/fraud-mle",
        "platform_engineers": "@acme-risk/platform",
        "data_retention_days": 2555 if hipaa else 400,
    }
    answers = dict(variant)
    # A question gone from this working tree is still asked at the release (and must fail the test).
    answers.update(
        {name: value for name, value in extra.items() if name not in questions() or asked(name, {**answers, **extra})}
    )
    return answers


ANSWER_SETS = {variant_id(v): user_answers(v) for v in variants()}


def test_every_question_gets_a_non_default_answer_in_some_answer_set():
    """Otherwise a renamed question could fall back to its default unnoticed."""
    for name, spec in questions().items():
        if spec.get("when") is False:
            continue
        default = spec.get("default")
        given = [a[name] for a in ANSWER_SETS.values() if name in a]
        templated = isinstance(default, str) and "{{" in default
        assert any(templated or value != default for value in given), f"{name}: no answer set departs from the default"


@dataclass(frozen=True)
class Source:
    path: Path  # a clone of this repository: the release, and the working tree committed on top
    release: str


@pytest.fixture(scope="session")
def source(tmp_path_factory) -> Source:
    path = tmp_path_factory.mktemp("release") / "template"
    git(REPO.parent, "clone", "--quiet", "--no-hardlinks", str(REPO), str(path))
    (path / ".git" / "info" / "exclude").write_text(".venv\n.venv-*\n.cache\nsite/\n")
    # Snapshot the working tree (uncommitted changes included) as the clone's HEAD.
    git_dir = ["--git-dir", str(path / ".git"), "--work-tree", str(REPO)]
    git(path, *git_dir, "add", "-A")
    git(path, *git_dir, "commit", "--quiet", "--allow-empty", "-m", "working tree")
    git(path, "reset", "--quiet", "--hard")
    release = last_release()
    found = subprocess.run(["git", "cat-file", "-e", f"{release}^{{commit}}"], cwd=path, check=False)
    assert found.returncode == 0, f"the last release {release} is not in this clone (shallow? fetch its history)"
    return Source(path, release)


# A user's edits: (file, text in the release's render, replacement).
EDITS = [
    (".gitignore", None, "\n# team additions\n/scratch/\n"),
    ("README.md", None, "\n## Team notes\n\nOn-call: #fraud-ml.\n"),
    ("params.yaml", "threshold: 0.75", "threshold: 0.8"),
]


def edit_as_a_user(project: Path, package: str) -> dict[str, str]:
    """Apply EDITS and add a module; returns {path: text that must survive}."""
    survivors = {}
    for relative, old, new in EDITS:
        path = project / relative
        text = path.read_text()
        if old is None:
            path.write_text(text + new)
        else:
            assert old in text, f"{relative}: the release renders no {old!r} to edit"
            path.write_text(text.replace(old, new, 1))
        survivors[relative] = new.strip()
    own = f"src/{package}/rules.py"
    (project / own).write_text('"""The team\'s own fraud rules."""\n\nMAX_AMOUNT = 10_000\n')
    survivors[own] = "MAX_AMOUNT = 10_000"
    return survivors


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not IGNORED.intersection(p.relative_to(root).parts)
    }


def commit_all(project: Path, message: str) -> None:
    if not (project / ".git").exists():
        git(project, "init", "--quiet")
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "--allow-empty", "--no-verify", "-m", message)


@pytest.mark.parametrize("name", list(ANSWER_SETS))
def test_update_from_last_release_keeps_answers_and_edits(name, source, tmp_path):
    given = {key: value for key, value in ANSWER_SETS[name].items() if key not in NEW_SINCE_RELEASE}
    project = tmp_path / "project"
    copier.run_copy(
        str(source.path), project, data=given, defaults=True, unsafe=True, quiet=True, vcs_ref=source.release
    )
    commit_all(project, "generated at the last release")
    before = read_answers(project)
    for key, value in given.items():
        assert before[key] == value, f"the release did not record {key}"
    survivors = edit_as_a_user(project, before["package_name"])
    commit_all(project, "the team's edits")

    copier.run_update(
        project, defaults=True, unsafe=True, quiet=True, overwrite=True, conflict="inline", vcs_ref="HEAD"
    )

    after = read_answers(project)
    assert after["_commit"] != before["_commit"], "the update did not reach the working tree"

    # Every recorded answer survives (under its new name where a migration renamed it).
    lost = {
        key: value
        for key, value in before.items()
        if not key.startswith("_") and RENAMED.get(key, key) is not None and after.get(RENAMED.get(key, key)) != value
    }
    assert not lost, f"answers lost or changed by the update (rename without a migration?): {lost}"

    # The user's edits survive.
    for relative, text in survivors.items():
        assert text in (project / relative).read_text(), f"{relative}: the user's edit was lost"

    # No conflict is marked, except where listed.
    updated = files(project)
    marked = [path for path, body in updated.items() if CONFLICT.search(body.decode(errors="replace"))]
    marked += [path for path in updated if path.endswith(".rej")]
    assert set(marked) <= set(EXPECTED_CONFLICTS), (
        f"unexpected conflicts: {sorted(set(marked) - set(EXPECTED_CONFLICTS))}"
    )

    # Everything else is what a fresh render of this working tree with the same answers gives:
    # every answer reaches the files it is rendered into, and every template change arrives.
    fresh = tmp_path / "fresh"
    answers = {k: v for k, v in after.items() if not k.startswith("_")}
    copier.run_copy(str(source.path), fresh, data=answers, defaults=True, unsafe=True, quiet=True, vcs_ref="HEAD")
    expected = files(fresh)
    skip = set(survivors) | set(EXPECTED_CONFLICTS)
    differ = sorted(
        path for path in set(updated) | set(expected) if path not in skip and updated.get(path) != expected.get(path)
    )
    assert not differ, f"the updated project differs from a fresh render with the same answers: {differ}"
