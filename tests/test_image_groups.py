"""The images install the dependency groups they need, and no others.

uv's `--no-dev` leaves out the `dev` group only: the other default groups of pyproject.toml
([tool.uv] default-groups: `spark`, `feast`) come along unless a `--no-group` drops them. pyspark
in a serving image is ~400 MB of a JVM engine that nothing in it runs. This test derives each
image's groups from its `uv sync` lines the way uv does and compares them with what each image runs.
"""

from __future__ import annotations

import re
import tomllib

import pytest

# What each image runs: DVC (remote) in both; Feast's online reads in serving only.
WANTED = {
    "train": lambda answers: {"remote"},
    "serve": lambda answers: {"remote"} | ({"feast"} if answers.get("feature_store") == "feast" else set()),
}


def installed_groups(dockerfile: str, default_groups: list[str]) -> list[set[str]]:
    """The groups of every `uv sync` command of a Dockerfile, by uv's rules for these flags."""
    result = []
    for command in re.findall(r"uv sync ([^\n]*)", dockerfile):
        flags = command.split()
        groups = set(default_groups)
        if "--no-dev" in flags:
            groups.discard("dev")
        for flag, name in zip(flags, flags[1:], strict=False):
            if flag == "--no-group":
                groups.discard(name)
            elif flag == "--group":
                groups.add(name)
        result.append(groups)
    return result


def problems(project, answers) -> list[str]:
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    default_groups = pyproject["tool"]["uv"]["default-groups"]
    found = []
    for image, wanted in WANTED.items():
        syncs = installed_groups((project / "docker" / image / "Dockerfile").read_text(), default_groups)
        if not syncs:
            found.append(f"{image}: no uv sync")
        for groups in syncs:
            if groups != wanted(answers):
                found.append(f"{image}: uv sync installs {sorted(groups)}, expected {sorted(wanted(answers))}")
    return found


def test_each_image_installs_exactly_the_groups_it_runs(variant):
    project, answers = variant
    assert problems(project, answers) == []


def test_a_spark_image_keeping_pyspark_is_reported(variant, tmp_path):
    project, answers = variant
    if answers.get("data_engine") != "spark":
        pytest.skip("no spark group")
    copy = tmp_path / "project"
    (copy / "docker" / "serve").mkdir(parents=True)
    (copy / "docker" / "train").mkdir(parents=True)
    (copy / "pyproject.toml").write_text((project / "pyproject.toml").read_text())
    (copy / "docker" / "train" / "Dockerfile").write_text((project / "docker" / "train" / "Dockerfile").read_text())
    serve = (project / "docker" / "serve" / "Dockerfile").read_text()
    assert " --no-group spark" in serve
    (copy / "docker" / "serve" / "Dockerfile").write_text(serve.replace(" --no-group spark", ""))
    assert any("serve: uv sync installs" in p and "'spark'" in p for p in problems(copy, answers))
