"""The humans' Kubernetes RBAC (deploy/k8s) against the access matrix and the EKS access entries."""

from __future__ import annotations

import shutil

import pytest

import kubernetes_rbac as rbac
from checks.kubernetes import rendered
from conftest import read_answers
from mlops_scaffold.matrix import variant_id, variants

KUBERNETES = [v for v in variants() if v["compute_platform"] == "kubernetes"]
PLANTED = next(v for v in KUBERNETES if v["cloud_provider"] == "aws")


def overlays(render_cache, answers_in):
    project = render_cache.get(variant_id(answers_in), answers_in, skip_tasks=True)
    answers = read_answers(project)
    out = {}
    for (cloud, env), (code, stdout, stderr) in rendered(project, answers).items():
        assert code == 0, stderr
        out[(cloud, env)] = rbac.documents(stdout)
    return project, answers, out


@pytest.mark.parametrize("answers_in", KUBERNETES, ids=[variant_id(v) for v in KUBERNETES])
def test_rbac_follows_matrix_and_terraform(render_cache, answers_in):
    project, answers, docs_by_overlay = overlays(render_cache, answers_in)
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
