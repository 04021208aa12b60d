"""`copier update` from the last release before the stack modules to this working tree: the
environment roots get the new layout, and every resource of the old render is still there after
the rendered `moved` blocks are applied (what `terraform plan` would do: move state, destroy
nothing). The old release is the commit the Terraform baseline was recorded at.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import copier
import pytest

from hcl_eval import load_root as load_module_tree
from record_terraform_baseline import FIXTURE, digests
from test_terraform_refactor import compare
from tools import REPO

IDENTITY = ["-c", "user.name=test", "-c", "user.email=test@example.com"]
# Resources of the old release that later versions removed on purpose: {address: why}.
REMOVED_ON_PURPOSE: dict[str, str] = {
    "module.identity.aws_iam_role_policy.apply_iam": "the apply roles' IAM rights moved into their per-environment "
    "policy `apply`, under a permissions boundary (ADR 0011)",
    "module.identity.aws_iam_role_policy_attachment.apply_power_user": "PowerUserAccess replaced by the "
    "per-environment policy and boundary (ADR 0011)",
    "google_compute_firewall.allow_https_egress": "no internet egress unless a reason is given (ADR 0011)",
}


def moved_inside_its_module(project, problem: str) -> bool:
    """compare() follows the roots' `moved` blocks; a module's own `moved` blocks (a resource
    turned into one entry of a for_each inside the module) move the state as well."""
    address = problem.split(": ", 1)[1].split(" is gone", 1)[0]
    resource = re.sub(r"^(module\.[\w-]+(\[[^]]*\])?\.)+", "", address)
    moved_from = {
        m[1] for tf in project.glob("infra/terraform/*/modules/*/*.tf") for m in MOVED_FROM.finditer(tf.read_text())
    }
    return resource in moved_from


def service_account_ids(project) -> set[str]:
    """Account ids of the google_service_account resources that the Google Cloud environment roots make."""
    return {
        block.attr("account_id", scope)
        for root in sorted((project / "infra/terraform/gcp/envs").iterdir())
        for block in load_module_tree(root).all_blocks("resource", "google_service_account")
        for _key, scope in block.instances()
    }


def bootstrap_adopted_accounts(bootstrap) -> set[str]:
    """Account ids the bootstrap makes or, where they exist already, adopts."""
    accounts = set()
    for block in load_module_tree(bootstrap).all_blocks("resource", "google_service_account"):
        for _key, scope in block.instances():
            if (
                "create_ignore_already_exists" in block.body
                and block.attr("create_ignore_already_exists", scope) is True
            ):
                accounts.add(block.attr("account_id", scope))
    return accounts


MOVED_FROM = re.compile(r"^moved \{\s*from\s*=\s*(\S+)", re.M)

ANSWERS = {"cloud_provider": "both", "compute_platform": "kubernetes", "environments": ["dev", "prod"]}


def git(cwd, *args):
    return subprocess.run(["git", *IDENTITY, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def template(tmp_path):
    """A scratch clone: the old release tagged v1.0.0, this working tree committed on it as v2.0.0."""
    old = json.loads(FIXTURE.read_text())["commit"]
    source = tmp_path / "template"
    git(tmp_path, "clone", "-q", "--no-checkout", str(REPO), str(source))
    if subprocess.run(["git", "cat-file", "-e", f"{old}^{{commit}}"], cwd=source).returncode:
        pytest.skip(f"this clone lacks the history of {old[:7]} (a shallow clone)")
    git(source, "checkout", "-q", old)
    git(source, "tag", "v1.0.0")
    for path in source.iterdir():
        if path.name != ".git":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    ignore = shutil.ignore_patterns(".git", ".venv*", ".cache", "site", "__pycache__")
    shutil.copytree(REPO, source, ignore=ignore, dirs_exist_ok=True, symlinks=True)
    git(source, "add", "-A")
    git(source, "commit", "-qm", "stack modules")
    git(source, "tag", "v2.0.0")
    return source


def test_update_moves_environments_onto_the_stack_without_destroying_anything(tmp_path, template):
    project = tmp_path / "project"
    copier.run_copy(str(template), project, data=ANSWERS, defaults=True, unsafe=True, quiet=True, vcs_ref="v1.0.0")
    before = digests(project)
    old_accounts = service_account_ids(project)
    assert (project / "infra/terraform/aws/envs/dev/variables.tf").is_file()  # the old layout

    copier.run_update(project, defaults=True, unsafe=True, quiet=True, overwrite=True, vcs_ref="v2.0.0")

    for cloud in ("aws", "gcp"):
        for env in ("dev", "prod"):
            root = project / "infra" / "terraform" / cloud / "envs" / env
            assert sorted(p.name for p in root.iterdir()) == ["main.tf", "terraform.tfvars", "versions.tf"]
            assert "to   = module.stack.module.data" in (root / "main.tf").read_text()
    # Resources added or changed since the old release are so by design (the baseline fixture, which
    # tests/test_terraform_refactor.py checks, records each change); what must not happen is a
    # resource lost on the way, which terraform would destroy, unless it was removed on purpose.
    gone = [p for p in compare(project, before) if p.endswith("terraform would destroy it")]
    gone = [p for p in gone if not any(address in p for address in REMOVED_ON_PURPOSE)]
    assert [p for p in gone if not moved_inside_its_module(project, p)] == []
    # The environment roots forget (`removed`, destroy = false) the workload service accounts they
    # made; the bootstrap makes them now and adopts the existing ones (create_ignore_already_exists).
    kept = service_account_ids(project)
    adopted = bootstrap_adopted_accounts(project / "infra/terraform/gcp/bootstrap")
    assert old_accounts, "the old release's environment roots made no service account: the check is blind"
    assert sorted(old_accounts - kept - adopted) == []
    status = git(project, "status", "--porcelain")
    assert "<<<<<<<" not in "".join(p.read_text() for p in project.rglob("*.tf")), status
