"""Python compiles, and is ruff-clean under the generated project's own ruff configuration."""

import json

from tools import run, tool

from . import Finding, checker, project_files


@checker("python-compiles")
def compiles(project, answers):
    findings = []
    for path in project_files(project, ".py"):
        try:
            compile(path.read_text(), str(path), "exec")
        except SyntaxError as error:
            findings.append(Finding("python-compiles", str(path.relative_to(project)), error.lineno, error.msg))
    return findings


@checker("ruff")
def ruff(project, answers):
    result = run([tool("ruff"), "check", "--output-format", "json", "--no-cache", "."], cwd=project)
    if result.returncode not in (0, 1):
        return [Finding("ruff", ".", None, result.stderr.strip())]
    return [
        Finding(
            "ruff",
            item["filename"].removeprefix(f"{project}/"),
            item["location"]["row"],
            f"{item['code']} {item['message']}",
        )
        for item in json.loads(result.stdout or "[]")
    ] + [
        Finding("ruff-format", line.split()[-1], None, "not formatted")
        for line in run([tool("ruff"), "format", "--check", "--no-cache", "."], cwd=project).stdout.splitlines()
        if line.startswith("Would reformat")
    ]
