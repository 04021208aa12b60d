"""Dockerfiles are hadolint-clean under the project's own `.hadolint.yaml` (its one list of ignores)."""

from __future__ import annotations

import json

from tools import run, tool

from . import Finding, checker, project_files

CONFIG = ".hadolint.yaml"


def dockerfiles(project) -> list[str]:
    return [
        str(path.relative_to(project))
        for path in project_files(project)
        if path.name == "Dockerfile" or path.name.endswith((".Dockerfile", ".dockerfile"))
    ]


@checker("hadolint")
def check(project, answers):
    files = dockerfiles(project)
    if not files:
        return []
    command = [tool("hadolint"), "--format", "json"]
    if (project / CONFIG).is_file():
        command += ["--config", CONFIG]
    result = run([*command, *files], cwd=project)
    # hadolint reports a broken configuration file on stdout and still exits 0: not JSON means broken.
    try:
        items = json.loads(result.stdout or "null")
    except json.JSONDecodeError:
        items = None
    if not isinstance(items, list):
        return [Finding("hadolint", CONFIG, None, (result.stdout + result.stderr).strip()[:500])]
    return [Finding("hadolint", item["file"], item["line"], f"{item['code']} {item['message']}") for item in items]
