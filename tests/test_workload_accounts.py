"""Google Cloud workload service accounts: the bootstrap makes them, the environment roots read them.

The apply accounts hold no service-account role on the project (ADR 0018): the bootstrap's identity
module makes each environment's workload accounts (training, serving, GKE nodes or the GPU VM,
Spark) and grants that environment's apply account a custom role on each. The environment roots
read them by account id (`data "google_service_account"`), computed there from the same naming
rule. Two roots, two copies of the rule: this test evaluates both (tests/hcl_eval.py) and fails when
an environment reads an account the bootstrap does not make, one of another environment, or one
its apply account may not manage.
"""

from __future__ import annotations

import shutil

import pytest

from hcl_eval import Ref
from hcl_eval import load_root as load_module_tree

GCP = "infra/terraform/gcp/"
STACK = GCP + "modules/stack/"
# Variants beyond the matrix: the Spark account on both platforms.
SPARK_VARIANTS = {
    "gcp-kubernetes-spark": {"cloud_provider": "gcp", "compute_platform": "kubernetes", "data_engine": "spark"},
    "gcp-vm-spark": {"cloud_provider": "gcp", "compute_platform": "vm", "data_engine": "spark"},
}


def accounts_read(project) -> dict[str, set[str]]:
    """{environment: account ids its root reads}."""
    return {
        root.name: {
            block.attr("account_id", scope)
            for block in load_module_tree(root).all_blocks("data", "google_service_account")
            for _key, scope in block.instances()
        }
        for root in sorted((project / GCP / "envs").iterdir())
    }


def bootstrap_accounts(project) -> tuple[dict[str, str], dict[str, set[str]]]:
    """({account id: for_each key <env>/<workload>}, {key: members granted the custom role on it})."""
    bootstrap = load_module_tree(project / GCP / "bootstrap")
    made, managers = {}, {}
    for block in bootstrap.all_blocks("resource", "google_service_account"):
        if block.name == "workload":
            made.update({block.attr("account_id", scope): key for key, scope in block.instances()})
    for block in bootstrap.all_blocks("resource", "google_service_account_iam_member"):
        for key, scope in block.instances():
            role, target = block.attr("role", scope), block.attr("service_account_id", scope)
            custom = isinstance(role, Ref) and role.path == "google_project_iam_custom_role.workload_account_iam.id"
            if custom and isinstance(target, Ref) and target.path.startswith("google_service_account.workload"):
                managers.setdefault(key, set()).add(str(block.attr("member", scope)))
    return made, managers


def problems(project) -> list[str]:
    made, managers = bootstrap_accounts(project)
    found = []
    for env, ids in accounts_read(project).items():
        for account_id in sorted(ids):
            key = made.get(account_id)
            if key is None:
                found.append(f"{env}: reads {account_id}, which the bootstrap does not make")
            elif key.split("/")[0] != env:
                found.append(f"{env}: reads {account_id}, the bootstrap's account of {key}")
            elif not any(f"apply.{env}." in m or f"apply-{env}@" in m for m in managers.get(key, ())):
                found.append(f"{env}: its apply account may not manage {account_id} (no custom role on it)")
    return found


def _gcp(project, answers):
    if answers["cloud_provider"] not in ("gcp", "both"):
        pytest.skip("no Google Cloud in this variant")


def test_every_account_an_environment_reads_is_its_own_made_by_the_bootstrap(variant):
    project, answers = variant
    _gcp(project, answers)
    reads = accounts_read(project)
    assert all(reads.values()), f"an environment reads no workload account: the check is blind ({reads})"
    assert problems(project) == []


@pytest.mark.parametrize("name", sorted(SPARK_VARIANTS))
def test_the_spark_account_too(render_cache, name):
    project = render_cache.get(name, SPARK_VARIANTS[name], skip_tasks=True)
    assert all(any("-spark-" in a for a in ids) for ids in accounts_read(project).values())
    assert problems(project) == []


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        pytest.param(STACK + "kubernetes.tf", '"${var.service_account_prefix}-train-${var.environment}"',
                     '"${var.service_account_prefix}-trainer-${var.environment}"',
                     "which the bootstrap does not make", id="naming-rules-drift-apart"),
        pytest.param(STACK + "kubernetes.tf", '"${var.service_account_prefix}-serve-${var.environment}"',
                     '"${var.service_account_prefix}-serve-dev"', "the bootstrap's account of dev/serve",
                     id="another-environments-account"),
        pytest.param(GCP + "modules/identity/workload_accounts.tf",
                     "google_service_account.apply[each.value.env].email", "google_service_account.plan.email",
                     "may not manage", id="apply-account-not-granted"),
    ],
)  # fmt: skip
def test_a_planted_mismatch_is_reported(tmp_path, render_cache, relative, old, new, expected):
    project = render_cache.get("workload-accounts-gcp-kubernetes", {"cloud_provider": "gcp"}, skip_tasks=True)
    assert problems(project) == [], "the variant must be clean before the plant"
    copy = tmp_path / "project"
    shutil.copytree(project / "infra", copy / "infra")
    path = copy / relative
    assert old in path.read_text(), f"{old!r} not in {relative}"
    path.write_text(path.read_text().replace(old, new, 1))
    found = problems(copy)
    assert any(expected in p for p in found), found
