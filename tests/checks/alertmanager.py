"""Alertmanager's routing of the alerts (monitoring/alertmanager.yml): `amtool check-config`
(Debian's `prometheus-alertmanager` package) parses it as Alertmanager would load it, matchers,
receivers and the SMTP settings included. Which route each alert takes is a cross-file fact,
tested in tests/test_monitoring.py."""

from __future__ import annotations

from tools import run, tool

from . import Finding, checker

CONFIG = "monitoring/alertmanager.yml"


@checker("amtool")
def amtool(project, answers):
    if not (project / CONFIG).is_file():
        return [Finding("amtool", CONFIG, None, "no Alertmanager configuration: the alerts reach no one")]
    result = run([tool("amtool"), "check-config", CONFIG], cwd=project)
    if result.returncode == 0:
        return []
    lines = [line.strip() for line in (result.stdout + result.stderr).splitlines()]
    # amtool prints "Checking '<file>'  FAILED: <error>", then a summary "amtool: error: ..." line.
    errors = [line for line in lines if "FAILED" in line] or [line for line in lines if line.startswith("amtool:")]
    return [Finding("amtool", CONFIG, None, line) for line in errors or [f"exited {result.returncode}"]]
