"""One Terraform style on both clouds (docs/terraform-style.md), checked on the rendered modules and
roots: snake_case names; every variable typed and described; every output described; every
validation message in one form, `<variable>: expected <what>`, so that an error names its input.
"""

import re

import hcl2

from . import Finding, checker, project_files
from .terraform_schema import has_terraform

NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _line(text: str, needle: str) -> int | None:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


@checker("terraform-style", applies=has_terraform)
def check(project, answers):
    findings = []
    for path in project_files(project, ".tf"):
        rel, text = str(path.relative_to(project)), path.read_text()
        parsed = hcl2.loads(text)
        for kind in ("variable", "output"):
            for entry in parsed.get(kind, []):
                for quoted, body in entry.items():
                    name = quoted.strip('"')
                    line = _line(text, f'{kind} "{name}"')

                    def report(message, rel=rel, line=line):
                        findings.append(Finding("terraform-style", rel, line, message))

                    if not NAME.match(name):
                        report(f"{kind} {name}: expected a snake_case name")
                    if not str(body.get("description", "")).strip('"'):
                        report(f"{kind} {name}: no description")
                    if kind == "variable" and "type" not in body:
                        report(f"variable {name}: no type")
                    for validation in body.get("validation", []) if kind == "variable" else []:
                        message = str(validation.get("error_message", "")).strip('"')
                        if not message.startswith(f"{name}: expected "):
                            report(
                                f"variable {name}: the validation message should start with "
                                f"'{name}: expected ': {message!r}"
                            )
    return findings
