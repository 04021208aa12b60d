#!/usr/bin/env python3
"""Generate the Inputs and Outputs tables of every Terraform module README of the template from the
module's variables.tf and outputs.tf (terraform-docs is not installable offline; python-hcl2 is).

    .venv/bin/python scripts/gen_module_docs.py          # rewrite the tables
    .venv/bin/python scripts/gen_module_docs.py --check  # exit 1 if a README is stale

The tables sit between the markers below; the rest of a README (what the module is for) is written
by hand. The template's tests run --check, and the rendered projects' READMEs are checked against the
rendered modules by the `terraform-module-readme` checker (tests/checks/terraform_schema.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import hcl2

REPO = Path(__file__).resolve().parent.parent
MODULES = sorted((REPO / "template" / "infra" / "terraform").glob("*/modules/*/"))
BEGIN = "<!-- BEGIN GENERATED: inputs and outputs (scripts/gen_module_docs.py) -->"
END = "<!-- END GENERATED: inputs and outputs -->"


def _text(value) -> str:
    """A python-hcl2 value as HCL source: types unwrapped from ${...}, strings kept quoted."""
    if isinstance(value, str):
        return value[2:-1] if value.startswith("${") and value.endswith("}") else value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (list, dict)):
        return json.dumps(value, separators=(", ", " = ")).replace('\\"', "").replace('""', '"')
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _description(body: dict) -> str:
    return _cell(_text(body.get("description", "")).strip('"').replace('\\"', '"'))


def _blocks(module: Path, kind: str) -> list[tuple[str, dict]]:
    path = module / f"{kind}s.tf"
    if not path.is_file():
        return []
    return [
        (name.strip('"'), body) for entry in hcl2.loads(path.read_text()).get(kind, []) for name, body in entry.items()
    ]


def tables(module: Path) -> str:
    """The generated part of a module's README."""
    lines = [BEGIN, "## Inputs", ""]
    variables = _blocks(module, "variable")
    if variables:
        lines += ["| name | description | type | default (or required) |", "|---|---|---|---|"]
        for name, body in variables:
            default = f"`{_cell(_text(body['default']))}`" if "default" in body else "yes"
            description = _description(body)
            lines.append(f"| `{name}` | {description} | `{_cell(_text(body.get('type', 'any')))}` | {default} |")
    else:
        lines.append("None.")
    lines += ["", "## Outputs", ""]
    outputs = _blocks(module, "output")
    if outputs:
        lines += ["| name | description |", "|---|---|"]
        lines += [f"| `{name}` | {_description(body)} |" for name, body in outputs]
    else:
        lines.append("None.")
    return "\n".join([*lines, END]) + "\n"


def updated(readme: str, module: Path) -> str:
    """``readme`` with its generated part replaced (or, the first time, everything from ## Inputs on)."""
    if BEGIN in readme and END in readme:
        head, rest = readme.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
    elif "## Inputs" in readme:  # hand-written tables: replace them up to the end of the outputs table
        head, rest = readme.split("## Inputs", 1)
        after_outputs = rest.split("## Outputs", 1)[1] if "## Outputs" in rest else ""
        paragraphs = after_outputs.strip("\n").split("\n\n", 1)  # the table, then what follows it
        tail = paragraphs[1].rstrip("\n") + "\n" if len(paragraphs) == 2 else ""
    else:
        head, tail = readme.rstrip("\n") + "\n\n", ""
    return head + tables(module) + (("\n" + tail) if tail else "")


def stale(modules=MODULES) -> list[Path]:
    return [
        m / "README.md" for m in modules if (m / "README.md").read_text() != updated((m / "README.md").read_text(), m)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if a README differs from what is generated")
    args = parser.parse_args()
    found = stale()
    if args.check:
        for path in found:
            print(f"stale: {path.relative_to(REPO)} (run scripts/gen_module_docs.py)", file=sys.stderr)
        return 1 if found else 0
    for path in found:
        path.write_text(updated(path.read_text(), path.parent))
        print(f"updated {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
