"""No Jinja left over in rendered files (a missing .jinja suffix or a broken raw block)."""

import re

from . import Finding, checker, project_files

# `${{ ... }}` is GitHub Actions' expression syntax, not Jinja.
LEFTOVER = re.compile(r"(?<!\$)\{\{|\{%|\{#")
# Grafana's legend templates (`"legendFormat": "{{variant}}"`, monitoring/grafana/) are Grafana's own.
GRAFANA_LEGEND = re.compile(r'"legendFormat": "(?:[^"{]|\{\{[A-Za-z_][A-Za-z0-9_]*\}\})*"')
# AWS Systems Manager documents name their parameters `{{ Name }}` in a step's runCommand (Terraform).
SSM_PARAMETER = re.compile(r"\{\{ [A-Z][A-Za-z0-9]* \}\}")


@checker("jinja-leftovers")
def check(project, answers):
    findings = []
    for path in project_files(project):
        if path.suffix in {".parquet", ".pkl", ".png", ".joblib"}:
            continue
        try:
            lines = path.read_text().splitlines()
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(lines, 1):
            if path.suffix == ".tf" and "runCommand" in line:
                line = SSM_PARAMETER.sub("", line)
            if LEFTOVER.search(GRAFANA_LEGEND.sub("", line)):
                rel = path.relative_to(project)
                findings.append(Finding("jinja-leftovers", str(rel), number, line.strip()[:120]))
    return findings
