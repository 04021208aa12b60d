"""Prometheus rules and the prometheus-operator resources (monitoring/, deploy/k8s/base/monitoring.yaml).

promtool (Debian's `prometheus` package) checks every rule file and the VM's Prometheus config,
and runs the unit tests of each alert in monitoring/tests. For Kubernetes, every rendered
overlay's monitoring.coreos.com resources are validated against the CRDs' schemas
(kubernetes-validate passes unknown kinds silently; tests/prometheus_operator_validate.mjs),
and the PrometheusRule's groups go through `promtool check rules` too: the CRD schema checks
their shape, not their PromQL.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from tools import REPO, run, tool

from . import Finding, checker
from .kubernetes import K8S, is_kubernetes, rendered

RULES, TESTS = Path("monitoring/rules"), Path("monitoring/tests")
NODE_MODULES = REPO / ".tools" / "npm-monitoring" / "node_modules"
VALIDATOR = REPO / "tests" / "prometheus_operator_validate.mjs"


def _lines(result) -> list[str]:
    return [line.strip() for line in (result.stdout + result.stderr).splitlines() if line.strip()]


@checker("promtool")
def promtool(project, answers):
    findings = []
    rule_files = sorted((project / RULES).glob("*.yml"))
    if not rule_files:
        return [Finding("promtool", str(RULES), None, "no rule file")]
    for path in rule_files:
        result = run([tool("promtool"), "check", "rules", str(path.relative_to(project))], cwd=project)
        if result.returncode != 0:
            findings += [Finding("promtool", str(path.relative_to(project)), None, line) for line in _lines(result)]
    config = project / "monitoring/prometheus.yml"  # the VM's Prometheus
    if config.is_file():
        result = run([tool("promtool"), "check", "config", "monitoring/prometheus.yml"], cwd=project)
        if result.returncode != 0:
            findings += [Finding("promtool", "monitoring/prometheus.yml", None, line) for line in _lines(result)]
    tests = sorted((project / TESTS).glob("*.test.yml"))
    if not tests:
        findings.append(Finding("promtool", str(TESTS), None, "no unit tests of the alerts"))
    for path in tests:
        result = run([tool("promtool"), "test", "rules", str(path.relative_to(project))], cwd=project)
        if result.returncode != 0:
            failed = [line for line in _lines(result) if line not in ("FAILED:", "SUCCESS")]
            findings.append(Finding("promtool", str(path.relative_to(project)), None, " | ".join(failed)[-2000:]))
    return findings


@checker("prometheus-operator", applies=is_kubernetes)
def operator_resources(project, answers):
    findings = []
    for (cloud, env), (code, stdout, _) in rendered(project, answers).items():
        if code != 0:
            continue  # the kustomize checker reports it
        label = f"{K8S}/overlays/{cloud}/{env}"
        manifests = project.parent / f"operator-{cloud}-{env}.yaml"
        manifests.write_text(stdout)
        result = run(["node", str(VALIDATOR), str(NODE_MODULES), str(manifests)])
        if result.returncode != 0:
            lines = _lines(result) or [f"exited {result.returncode}"]
            findings += [
                Finding("prometheus-operator", label, None, line.replace(str(manifests), "")) for line in lines
            ]
        documents = [d for d in yaml.safe_load_all(stdout) if d]
        rules = [d for d in documents if d.get("kind") == "PrometheusRule"]
        if not rules:
            findings.append(Finding("prometheus-operator", label, None, "no PrometheusRule rendered"))
        for rule in rules:
            groups = project.parent / f"operator-{cloud}-{env}-rules.yml"
            groups.write_text(yaml.safe_dump({"groups": rule["spec"]["groups"]}))
            result = run([tool("promtool"), "check", "rules", str(groups)])
            if result.returncode != 0:
                message = " | ".join(_lines(result)).replace(str(groups), "")
                findings.append(Finding("prometheus-operator", label, None, f"PrometheusRule {message}"))
    return findings
