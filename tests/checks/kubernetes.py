"""Kubernetes manifests: every overlay renders with `kubectl kustomize` (through deploy/k8s/render.sh,
as `make kube-render` runs it), and what it renders validates strictly against the Kubernetes
schemas, offline (kubernetes-validate --strict: an unknown field fails). So do the EKS clusters'
add-ons, deploy/k8s/cluster/aws/<env> (as `make kube-cluster-apply` renders them)."""

from __future__ import annotations

import re
from pathlib import Path

from tools import run, tool

from . import Finding, checker

K8S = Path("deploy/k8s")
TAG = "0123456789ab"  # the shape of `git rev-parse --short=12 HEAD`
# Rendered overlays per project, each once per session: (cloud, env) -> (return code, stdout, stderr).
_RENDERED: dict[Path, dict[tuple[str, str], tuple[int, str, str]]] = {}
# The same for the cluster add-ons (deploy/k8s/cluster/<cloud>/<env>): EKS only.
_RENDERED_CLUSTER: dict[Path, dict[tuple[str, str], tuple[int, str, str]]] = {}
CLUSTER_CLOUDS = ("aws",)  # GKE's node pools scale by themselves and ship the device plugin


def is_kubernetes(answers) -> bool:
    return answers.get("compute_platform") == "kubernetes"


def clouds(answers) -> list[str]:
    provider = answers.get("cloud_provider")
    return [cloud for cloud in ("aws", "gcp") if provider in (cloud, "both")]


def registry(cloud: str, answers) -> str:
    """The registry host `make kube-render` would use (AWS needs an account id: an example one)."""
    if cloud == "aws":
        return f"123456789012.dkr.ecr.{answers['aws_region']}.amazonaws.com"
    return f"{answers['gcp_region']}-docker.pkg.dev/{answers['gcp_project_id']}"


def overlays(project: Path) -> list[tuple[str, str]]:
    root = project / K8S / "overlays"
    return sorted((p.parent.parent.name, p.parent.name) for p in root.glob("*/*/kustomization.yaml"))


def rendered(project: Path, answers) -> dict[tuple[str, str], tuple[int, str, str]]:
    if project not in _RENDERED:
        results = {}
        for cloud, env in overlays(project):
            result = run(["bash", str(K8S / "render.sh"), cloud, env, registry(cloud, answers), TAG], cwd=project)
            results[(cloud, env)] = (result.returncode, result.stdout, result.stderr)
        _RENDERED[project] = results
    return _RENDERED[project]


def cluster_overlays(project: Path) -> list[tuple[str, str]]:
    """(cloud, env) of every deploy/k8s/cluster/<cloud>/<env>: a Kustomization, not base or a Component."""
    found = []
    for path in (project / K8S / "cluster").glob("*/*/kustomization.yaml"):
        if path.parent.name != "base" and re.search(r"^kind: Kustomization$", path.read_text(), re.MULTILINE):
            found.append((path.parent.parent.name, path.parent.name))
    return sorted(found)


def rendered_cluster(project: Path) -> dict[tuple[str, str], tuple[int, str, str]]:
    if project not in _RENDERED_CLUSTER:
        results = {}
        for cloud, env in cluster_overlays(project):
            result = run(["kubectl", "kustomize", str(K8S / "cluster" / cloud / env)], cwd=project)
            results[(cloud, env)] = (result.returncode, result.stdout, result.stderr)
        _RENDERED_CLUSTER[project] = results
    return _RENDERED_CLUSTER[project]


def _coverage(found: set, expected: set, folder: Path, what: str) -> list[Finding]:
    findings = [Finding("kustomize", str(folder / c / e), None, f"missing {what}") for c, e in sorted(expected - found)]
    for cloud, env in sorted(found - expected):
        findings.append(Finding("kustomize", str(folder / cloud / env), None, "no such environment chosen"))
    return findings


@checker("kustomize", applies=is_kubernetes)
def renders(project, answers):
    expected = {(cloud, env) for cloud in clouds(answers) for env in answers["environments"]}
    findings = _coverage(set(overlays(project)), expected, K8S / "overlays", "overlay")
    expected = {(cloud, env) for cloud, env in expected if cloud in CLUSTER_CLOUDS}
    findings += _coverage(set(cluster_overlays(project)), expected, K8S / "cluster", "cluster add-ons")
    for folder, results in (("overlays", rendered(project, answers)), ("cluster", rendered_cluster(project))):
        for (cloud, env), (code, stdout, stderr) in results.items():
            if code != 0 or "kind:" not in stdout:
                findings.append(Finding("kustomize", str(K8S / folder / cloud / env), None, stderr.strip()[-500:]))
    return findings


@checker("kubernetes-validate", applies=is_kubernetes)
def validates(project, answers):
    findings = []
    for (cloud, env), (code, stdout, _) in rendered(project, answers).items():
        if code != 0:
            continue  # the kustomize checker reports it
        findings += validate_text(stdout, f"{K8S}/overlays/{cloud}/{env}", project.parent)
    for (cloud, env), (code, stdout, _) in rendered_cluster(project).items():
        if code == 0:
            findings += validate_text(stdout, f"{K8S}/cluster/{cloud}/{env}", project.parent)
    return findings


def validate_text(manifests: str, label: str, scratch: Path) -> list[Finding]:
    """kubernetes-validate --strict on a multi-document YAML text; one finding per failure."""
    path = scratch / f"rendered-{re.sub(r'[^a-z0-9]+', '-', label)}.yaml"
    path.write_text(manifests)
    result = run([tool("kubernetes-validate"), "--strict", "--quiet", "--no-warn", str(path)])
    if result.returncode == 0:
        return []
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    return [Finding("kubernetes-validate", label, None, line.replace(str(path), "")) for line in lines] or [
        Finding("kubernetes-validate", label, None, f"exited {result.returncode}")
    ]
