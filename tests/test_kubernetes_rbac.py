"""The humans' Kubernetes RBAC (deploy/k8s) against the access matrix and the EKS access entries."""

from __future__ import annotations

import shutil

import pytest

import kubernetes_rbac as rbac
from answer_sets import answer_sets
from checks.kubernetes import rendered
from compliance import read as read_terraform
from conftest import read_answers
from mlops_scaffold.matrix import variant_id, variants

KUBERNETES = [v for v in variants() if v["compute_platform"] == "kubernetes"]
PLANTED = next(v for v in KUBERNETES if v["cloud_provider"] == "aws")
# GKE with the teams' Google groups (gcp_groups_domain): the matrix variants leave it empty.
GKE_GROUPS = answer_sets("gcp-kubernetes-hipaa-a100")["gcp-kubernetes-hipaa-a100"]


def _name(answers_in) -> str:
    return "gcp-kubernetes-hipaa-a100" if answers_in is GKE_GROUPS else variant_id(answers_in)


def overlays(render_cache, answers_in):
    project = render_cache.get(_name(answers_in), answers_in, skip_tasks=True)
    answers = read_answers(project)
    out = {}
    for (cloud, env), (code, stdout, stderr) in rendered(project, answers).items():
        assert code == 0, stderr
        out[(cloud, env)] = rbac.documents(stdout)
    return project, answers, out


@pytest.mark.parametrize("answers_in", [*KUBERNETES, GKE_GROUPS], ids=[_name(v) for v in [*KUBERNETES, GKE_GROUPS]])
def test_rbac_follows_matrix_and_terraform(render_cache, answers_in):
    project, answers, docs_by_overlay = overlays(render_cache, answers_in)
    terraform = read_terraform(project) if any(cloud == "gcp" for cloud, _ in docs_by_overlay) else None
    problems = []
    for (cloud, env), docs in docs_by_overlay.items():
        problems += [f"{cloud}/{env}: {p}" for p in rbac.role_problems(docs)]
        levels = rbac.matrix_levels(project, env)
        problems += [f"{cloud}/{env}: {p}" for p in rbac.binding_problems(docs, answers["project_slug"], env, levels)]
        if cloud == "aws":
            expected = {
                f"{answers['project_slug']}-{suffix}" for suffix, role in rbac.TEAMS.items() if levels[role] != "none"
            }
            assert rbac.groups(docs) == expected, f"{cloud}/{env}: RoleBinding groups"
            entries = rbac.eks_groups(project / "infra" / "terraform" / "aws" / "envs" / env)
            assert rbac.groups(docs) == entries, f"{cloud}/{env}: RoleBinding groups != EKS kubernetes_groups"
        else:
            problems += [f"{cloud}/{env}: {p}" for p in rbac.gke_problems(project, env, docs, terraform)]
            if answers.get("gcp_groups_domain"):
                expected = {
                    f"{answers['project_slug']}-{suffix}@{answers['gcp_groups_domain']}"
                    for suffix, role in rbac.TEAMS.items()
                    if levels[role] != "none"
                }
                assert rbac.groups(docs) == expected, f"{cloud}/{env}: RoleBinding groups"
    assert not problems, "\n".join(problems)


def _planted(render_cache):
    project, answers, docs_by_overlay = overlays(render_cache, PLANTED)
    return project, answers["project_slug"], docs_by_overlay


def _binding(docs, name):
    return next(d for d in docs if d["kind"] == "RoleBinding" and d["metadata"]["name"] == name)


def test_plant_wildcard_verb_is_found(render_cache):
    _, _, docs_by_overlay = _planted(render_cache)
    docs = docs_by_overlay[("aws", "dev")]
    next(d for d in docs if d["kind"] == "Role")["rules"][0]["verbs"] = ["*"]
    assert any("wildcard verbs" in p for p in rbac.role_problems(docs))


def test_plant_data_scientist_reading_secrets_is_found(render_cache):
    project, slug, docs_by_overlay = _planted(render_cache)
    docs = docs_by_overlay[("aws", "dev")]
    _binding(docs, "data-scientist")["roleRef"]["name"] = "compute-admin"
    problems = rbac.binding_problems(docs, slug, "dev", rbac.matrix_levels(project, "dev"))
    assert any("data_scientist may" in p and "Secrets" in p for p in problems), problems
    assert any("the matrix says compute read" in p for p in problems), problems


def test_plant_prod_write_is_found(render_cache):
    project, slug, docs_by_overlay = _planted(render_cache)
    docs = docs_by_overlay[("aws", "prod")]
    _binding(docs, "ml-engineer")["roleRef"]["name"] = "compute-write"
    levels = rbac.matrix_levels(project, "prod") | {"ml_engineer": "write"}  # even if the matrix said so
    assert any("ml_engineer may" in p and "in prod" in p for p in rbac.binding_problems(docs, slug, "prod", levels))


def test_plant_access_entry_group_drift_is_found(render_cache, tmp_path):
    project, slug, docs_by_overlay = _planted(render_cache)
    copy = tmp_path / "terraform"
    shutil.copytree(project / "infra" / "terraform" / "aws", copy)
    stack = copy / "modules" / "stack" / "kubernetes.tf"
    stack.write_text(stack.read_text().replace('["${var.project_slug}-${each.key}"]', '["${each.key}"]'))
    assert rbac.eks_groups(copy / "envs" / "dev") != rbac.groups(docs_by_overlay[("aws", "dev")])


def _gke(render_cache, tmp_path, old=None, new=None, relative=None):
    """The GKE answer set's dev overlay and its Terraform, with one planted change in a copy."""
    project = render_cache.get("gcp-kubernetes-hipaa-a100", GKE_GROUPS, skip_tasks=True)
    docs = overlays(render_cache, GKE_GROUPS)[2][("gcp", "dev")]
    if relative:
        copy = tmp_path / "project"
        shutil.copytree(project / "infra", copy / "infra")
        path = copy / relative
        assert old in path.read_text(), f"{old!r} not in {path}"
        path.write_text(path.read_text().replace(old, new))
        project = copy
    return project, docs


def test_plant_gke_group_not_in_access_groups_is_found(render_cache, tmp_path):
    project, docs = _gke(render_cache, tmp_path)
    assert rbac.gke_problems(project, "dev", docs, read_terraform(project)) == []
    _binding(docs, "ml-engineer")["subjects"][0]["name"] = "someone-else@example.com"
    problems = rbac.gke_problems(project, "dev", docs, read_terraform(project))
    assert any("are not the bootstrap's access_groups" in p for p in problems), problems


def test_plant_gke_without_google_groups_for_rbac_is_found(render_cache, tmp_path):
    project, docs = _gke(
        render_cache,
        tmp_path,
        'rbac_security_group  = "gke-security-groups@example.com"',
        'rbac_security_group  = ""',
        "infra/terraform/gcp/envs/dev/terraform.tfvars",
    )
    problems = rbac.gke_problems(project, "dev", docs, read_terraform(project))
    assert any("Google Groups for RBAC is ['None']" in p for p in problems), problems
