"""The PromQL of a generated project's monitoring/: the rules' and the dashboard's expressions,
and the metric names they select (shared by the fast cross-file tests and the live check of
tests/test_generated_project.py against a running server's /metrics)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

# A selector names its metric before its braces; every query of monitoring/ writes them so.
SELECTOR = re.compile(r"([A-Za-z_:][A-Za-z0-9_:]*)\{")
# Made by Prometheus itself (up) or by kube-state-metrics on Kubernetes, not by the project.
PROMETHEUS_OWN = {"up", "kube_job_failed"}


def rules(project: Path) -> list[dict]:
    return [
        rule
        for path in sorted((project / "monitoring/rules").glob("*.yml"))
        for group in yaml.safe_load(path.read_text())["groups"]
        for rule in group["rules"]
    ]


def alerts(project: Path) -> dict[str, dict]:
    return {rule["alert"]: rule for rule in rules(project) if "alert" in rule}


def dashboard_queries(project: Path) -> list[str]:
    dashboard = json.loads((project / "monitoring/grafana/serving.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def metric_names(expressions: list[str]) -> set[str]:
    """Metrics the expressions select, less recording rules (a colon in the name) and Prometheus's own."""
    names = {name for expr in expressions for name in SELECTOR.findall(expr)}
    return {name for name in names if ":" not in name} - PROMETHEUS_OWN


def exposed_names(exposition: str) -> set[str]:
    """The sample names of a Prometheus text exposition (a histogram's _bucket, _sum, _count)."""
    return {m.group(1) for m in re.finditer(r"^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]", exposition, flags=re.MULTILINE)}
