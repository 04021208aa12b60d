"""checkov finds no failed check in the generated Terraform, Dockerfiles and Kubernetes manifests
(as deploy/k8s/render.sh renders them); every skip sits in `.checkov.yaml` with its reason.

checkov runs from its own virtual environment (it pins an old `packaging`), offline (`--skip-download`),
with the project's own configuration file, the ONE place where checks are skipped.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from tools import run, tool

from . import Finding, checker
from .hadolint import dockerfiles
from .kubernetes import K8S, is_kubernetes, rendered, rendered_cluster
from .terraform_schema import has_terraform

SKIP_FILE = ".checkov.yaml"
# `  - CKV_AWS_123  # reason` : a list entry under skip-check, with its reason in a comment.
ENTRY = re.compile(r"^\s*-\s*(?P<id>[A-Z][A-Z0-9_]+)\s*(?:#\s*(?P<reason>.*))?$")


def skip_entries(text: str) -> list[tuple[int, str, str]]:
    """(line, check id, reason) for every entry of the `skip-check:` list."""
    entries, inside = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(r"^skip-check:\s*$", line):
            inside = True
            continue
        if inside and re.match(r"^\S", line) and not line.startswith("#"):
            inside = False
        if inside and (match := ENTRY.match(line)):
            entries.append((number, match["id"], (match["reason"] or "").strip()))
    return entries


@checker("checkov-skips-have-reasons")
def skips_have_reasons(project, answers):
    path = project / SKIP_FILE
    if not path.is_file():
        return [Finding("checkov-skips", SKIP_FILE, None, "missing: the one file that lists checkov skips")]
    findings, seen = [], set()
    for line, check_id, reason in skip_entries(path.read_text()):
        if len(reason.split()) < 4:
            findings.append(Finding("checkov-skips", SKIP_FILE, line, f"{check_id}: skipped without a reason"))
        if check_id in seen:
            findings.append(Finding("checkov-skips", SKIP_FILE, line, f"{check_id}: listed twice"))
        seen.add(check_id)
    return findings


def scan(project, directory: str = "infra/terraform", framework: str = "terraform") -> list[Finding]:
    command = [
        tool("checkov"),
        "--directory",
        directory,
        "--framework",
        framework,
        "--skip-download",
        "--quiet",
        "--compact",
        "-o",
        "json",
        "--config-file",
        SKIP_FILE,
    ]
    if (project / "policies" / "checkov").is_dir():
        command += ["--external-checks-dir", "policies/checkov"]
    result = run(command, cwd=project, env={"BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"})
    try:
        reports = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [
            Finding("checkov", directory, None, f"checkov exited {result.returncode}: {result.stderr.strip()[-500:]}")
        ]
    reports = reports if isinstance(reports, list) else [reports]
    # A run that scanned nothing (wrong directory, files checkov cannot parse) passes every check.
    # Terraform counts resources; the CI frameworks (github_actions, gitlab_ci) count none, only checks.
    summaries = [report.get("summary", report) for report in reports]
    scanned = sum(s.get("resource_count", 0) or s.get("passed", 0) + s.get("failed", 0) for s in summaries)
    findings = [] if scanned else [Finding("checkov", directory, None, "checkov scanned no resource")]
    for report in reports:
        if "results" not in report:  # nothing of this framework found: an empty summary
            continue
        for failed in report["results"].get("failed_checks", []):
            findings.append(
                Finding(
                    "checkov",
                    (failed.get("repo_file_path") or directory + failed["file_path"]).lstrip("/"),
                    (failed.get("file_line_range") or [None])[0],
                    f"{failed['check_id']} {failed['check_name']} ({failed['resource']})",
                )
            )
        if report.get("summary", {}).get("parsing_errors"):
            findings.append(
                Finding("checkov", directory, None, f"parsing errors: {report['results'].get('parsing_errors')}")
            )
    return findings


@checker("checkov-terraform", applies=has_terraform)
def check(project, answers):
    if not (project / "infra" / "terraform").is_dir():
        return [Finding("checkov", "infra/terraform", None, "missing: this variant has a cloud")]
    return scan(project)


@checker("checkov-dockerfile", applies=lambda answers: True)
def check_dockerfiles(project, answers):
    if not dockerfiles(project):
        return [Finding("checkov", "docker", None, "missing: every variant builds a training and a serving image")]
    return scan(project, "docker", "dockerfile")


@checker("checkov-kubernetes", applies=is_kubernetes)
def check_kubernetes(project, answers):
    """One checkov run over every overlay's rendering and every cluster add-ons' rendering (one file
    each, named after the folder)."""
    with tempfile.TemporaryDirectory() as folder:
        for kind, results in (("overlays", rendered(project, answers)), ("cluster", rendered_cluster(project))):
            for (cloud, env), (code, stdout, _) in results.items():
                if code == 0:  # else the kustomize checker reports it
                    (Path(folder) / f"{kind}-{cloud}-{env}.yaml").write_text(stdout)
        findings = scan(project, folder, "kubernetes")
    source = re.compile(r"^.*?(overlays|cluster)-(aws|gcp)-(\w+)\.yaml$")
    return [Finding(f.checker, source.sub(rf"{K8S}/\1/\2/\3", f.path), f.line, f.message) for f in findings]
