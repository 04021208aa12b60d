"""Kubernetes RBAC of the humans, checked against the access matrix and the Terraform.

Reads the manifests as deploy/k8s/render.sh renders each overlay and the EKS access entries of
infra/terraform/aws/envs/<env> (evaluated by hcl_eval), and fails on: a wildcard verb, resource or
API group in a Role; a human group that reads Secrets other than the platform engineers'; a human
group that may write in prod other than break-glass; a RoleBinding whose Role is not the matrix's
`compute` level of its team; RoleBinding groups that differ from the access entries' kubernetes_groups
(EKS), or from the bootstrap's Google groups and the cluster's Google Groups for RBAC (GKE).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from hcl_eval import load_root

WRITE_VERBS = {"create", "update", "patch", "delete", "deletecollection", "escalate", "bind", "impersonate"}
# Kubernetes group suffix -> the matrix's role (the AWS human_access module's role name suffixes).
TEAMS = {
    "data-scientist": "data_scientist",
    "ml-engineer": "ml_engineer",
    "platform": "platform_engineer",
    "break-glass": "break_glass",
}
PLATFORM = {"platform_engineer", "break_glass"}


def documents(text: str) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


def team_of(group: str, project: str) -> str | None:
    """The matrix role of a group: <project>-<suffix> (EKS) or <project>-<suffix>@<domain> (a Google group)."""
    group = group.split("@", 1)[0]
    suffix = group.removeprefix(f"{project}-")
    return TEAMS.get(suffix) if suffix != group else None


def role_problems(docs: list[dict]) -> list[str]:
    problems = []
    for doc in docs:
        if doc.get("kind") not in ("Role", "ClusterRole"):
            continue
        for rule in doc.get("rules", []):
            for key in ("verbs", "resources", "apiGroups"):
                if "*" in rule.get(key, []):
                    problems.append(f"{doc['kind']} {doc['metadata']['name']}: wildcard {key}")
    return problems


def binding_problems(docs: list[dict], project: str, env: str, levels: dict[str, str]) -> list[str]:
    """``levels``: matrix role -> its `compute` level in ``env``."""
    roles = {doc["metadata"]["name"]: doc for doc in docs if doc.get("kind") == "Role"}
    problems = []
    for doc in docs:
        if doc.get("kind") != "RoleBinding":
            continue
        name, ref = doc["metadata"]["name"], doc["roleRef"]
        for subject in doc.get("subjects", []):
            if subject.get("kind") != "Group":
                continue
            team = team_of(subject["name"], project)
            if team is None:
                problems.append(f"RoleBinding {name}: group {subject['name']} is no team of the access matrix")
                continue
            if ref["kind"] != "Role" or ref["name"] not in roles:
                problems.append(f"RoleBinding {name}: {ref['kind']} {ref['name']} is not a Role of the namespace")
                continue
            if ref["name"] != f"compute-{levels.get(team)}":
                problems.append(
                    f"RoleBinding {name}: {team} gets {ref['name']}, the matrix says compute {levels.get(team)}"
                )
            for rule in roles[ref["name"]].get("rules", []):
                verbs = set(rule.get("verbs", []))
                if "secrets" in rule.get("resources", []) and verbs and team not in PLATFORM:
                    problems.append(f"RoleBinding {name}: {team} may {sorted(verbs)} Secrets")
                if env == "prod" and verbs & WRITE_VERBS and team != "break_glass":
                    problems.append(f"RoleBinding {name}: {team} may {sorted(verbs & WRITE_VERBS)} in prod")
    return problems


def groups(docs: list[dict]) -> set[str]:
    return {
        s["name"]
        for d in docs
        if d.get("kind") == "RoleBinding"
        for s in d.get("subjects", [])
        if s.get("kind") == "Group"
    }


def eks_groups(env_root: Path) -> set[str]:
    """The kubernetes_groups of every EKS access entry of an environment root."""
    found = set()
    for block in load_root(env_root).all_blocks("resource", "aws_eks_access_entry"):
        for _key, scope in block.instances():
            if "kubernetes_groups" in block.body:
                found.update(block.attr("kubernetes_groups", scope))
    return found


def gke_problems(project: Path, env: str, docs: list[dict], terraform) -> list[str]:
    """GKE: the RoleBindings' groups are the bootstrap's access_groups (the Google groups that get the
    matrix's IAM), and the environment's cluster turns on Google Groups for RBAC with
    gke-security-groups@ of their domain (without it GKE never sees the groups).
    ``terraform``: compliance.read(project)."""
    bound = groups(docs)
    access_groups = load_root(project / "infra/terraform/gcp/bootstrap").scope.variables.get("access_groups") or {}
    granted = {member.removeprefix("group:") for member in access_groups.values()}
    problems = []
    if bound != granted:
        problems.append(f"RoleBinding groups {sorted(bound)} are not the bootstrap's access_groups {sorted(granted)}")
    if bound:
        expected = {f"gke-security-groups@{g.split('@', 1)[-1]}" for g in bound}
        clusters = [c for c in terraform.of("google_container_cluster") if c.root.endswith(f"/envs/{env}")]
        found = {c.get("authenticator_groups_config.security_group") for c in clusters}
        if not clusters or found != expected:
            problems.append(
                f"the GKE cluster's Google Groups for RBAC is {sorted(map(str, found))}, expected {sorted(expected)}"
            )
    return problems


def matrix_levels(project: Path, env: str) -> dict[str, str]:
    matrix = yaml.safe_load((project / "policies" / "access-matrix.yml").read_text())
    return {role: grants["compute"] for role, grants in matrix["environments"][env].items()}
