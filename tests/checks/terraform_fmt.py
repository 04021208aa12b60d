"""Terraform is `terraform fmt` clean (the Terraform 1.0.3 binary of the test venv: formatting only)."""

import re

from tools import run, tool

from . import Finding, checker
from .terraform_schema import has_terraform

HUNK = re.compile(r"^@@ -(\d+)")


@checker("terraform-fmt", applies=has_terraform)
def check(project, answers):
    infra = project / "infra" / "terraform"
    if not infra.is_dir():
        return [Finding("terraform-fmt", "infra/terraform", None, "missing: this variant has a cloud")]
    result = run([tool("terraform"), "fmt", "-check", "-recursive", "-diff", "-no-color", "."], cwd=infra)
    if result.returncode == 0:
        return []
    findings, current = [], None
    for line in result.stdout.splitlines():
        if line.startswith("--- old/"):
            current = "infra/terraform/" + line.removeprefix("--- old/")
        elif current and (hunk := HUNK.match(line)):
            findings.append(Finding("terraform-fmt", current, int(hunk.group(1)), "not `terraform fmt` formatted"))
    return findings or [Finding("terraform-fmt", "infra/terraform", None, (result.stderr or result.stdout).strip())]
