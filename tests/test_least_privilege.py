"""Least privilege, on every variant: every IAM policy document, inline policy and binding that the
rendered Terraform writes obeys the rules of the access matrix (tests/least_privilege.py).

The plants below show that each rule fails where a real grant goes too far: a wildcard action, a
wildcard resource on a write, serving that can write, a CI role that reaches another environment,
a primitive role, an unconditioned iam:PassRole, a boundary that no longer stops escalation,
serving that reads the datasets, and egress to the whole internet.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import read_answers
from least_privilege import check, read

GCP_KUBERNETES = {"cloud_provider": "gcp", "compute_platform": "kubernetes"}
AWS_VM = {"cloud_provider": "aws", "compute_platform": "vm"}

AWS = "infra/terraform/aws/modules/"
GCP = "infra/terraform/gcp/modules/"


def test_every_grant_is_least_privilege(variant):
    project, answers = variant
    assert check(project, answers) == []


def test_the_check_reads_every_identity_of_the_variant(variant):
    """Guards the check itself: it finds each environment's CI apply identity and its grants, so
    an empty result above means "all judged", never "nothing read"."""
    project, answers = variant
    access = read(project)
    for env in answers["environments"]:
        if answers["cloud_provider"] in ("aws", "both"):
            (apply,) = [r for r in access.roles.values() if r.name.endswith(f"-ci-{env}-apply")]
            assert apply.statements and apply.boundary, f"apply role of {env}: policies or boundary not read"
            assert any(r.name.endswith(f"-{env}-serve") or r.name.endswith(f"-{env}-gpu-vm") for r in access.roles.values())
        if answers["cloud_provider"] in ("gcp", "both"):
            assert any(f"apply.{env}" in b.member for b in access.bindings), f"GCP apply bindings of {env} not read"


def _planted(tmp_path, project, relative, old, new):
    copy = tmp_path / "project"
    shutil.copytree(project / "infra", copy / "infra")
    path = copy / relative
    text = path.read_text()
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1))
    return copy


@pytest.mark.parametrize(
    ("answers", "relative", "old", "new", "expected"),
    [
        pytest.param({}, AWS + "identity/main.tf", '"ecr:CreateRepository",', '"ecr:*",',
                     "wildcard action 'ecr:*' on a write permission", id="wildcard-action"),
        pytest.param({}, AWS + "stack/main.tf",
                     'resources = ["${module.data.dvc_bucket_arn}/*", "${module.data.models_bucket_arn}/*"]',
                     'resources = ["*"]', "wildcard resource ['*'] on write actions", id="wildcard-resource"),
        pytest.param({}, AWS + "stack/main.tf", 'actions   = ["s3:GetObject"]',
                     'actions   = ["s3:GetObject", "s3:PutObject"]',
                     "more than read models and write logs", id="serving-writes"),
        pytest.param({}, AWS + "identity/main.tf",
                     '"${local.name_prefix}:role/${local.env_arns[each.value].name}-*",\n      "${local.name_prefix}:instance',
                     '"${local.name_prefix}:role/${var.name}-*",\n      "${local.name_prefix}:instance',
                     "not limited to dev", id="ci-role-not-scoped-to-its-environment"),
        pytest.param({}, AWS + "identity/main.tf", 'variable = "iam:PassedToService"',
                     'variable = "aws:RequestedRegion"',
                     "iam:PassRole without named roles and an iam:PassedToService condition", id="passrole"),
        pytest.param({}, AWS + "identity/main.tf", '"iam:CreateUser", "iam:CreateAccessKey", ', '',
                     "its permissions boundary does not deny", id="boundary-allows-escalation"),
        pytest.param({}, AWS + "identity/main.tf",
                     'policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"\n}\n\nlocals',
                     'policy_arn = "arn:${local.partition}:iam::aws:policy/PowerUserAccess"\n}\n\nlocals',
                     "managed policy", id="power-user-is-back"),
        pytest.param(AWS_VM, AWS + "gpu_vm/variables.tf",
                     'default     = ""\n\n  validation {\n    condition     = length(var.internet_egress_reason)',
                     'default     = "a mirror outside AWS"\n\n  validation {\n    condition     = length(var.internet_egress_reason)',
                     "egress to 0.0.0.0/0", id="aws-open-egress"),
        pytest.param(GCP_KUBERNETES, GCP + "identity/variables.tf", '"roles/artifactregistry.admin",',
                     '"roles/editor",', "primitive role roles/editor", id="gcp-primitive-role"),
        pytest.param(GCP_KUBERNETES, GCP + "identity/main.tf",
                     "resource.name.startsWith('projects/_/buckets/${var.project_slug}-${each.key}-')",
                     "resource.name.startsWith('projects/_/buckets/${var.project_slug}-')",
                     "holds roles/storage.admin without a condition limiting it to", id="gcp-ci-not-scoped"),
        pytest.param(GCP_KUBERNETES, GCP + "data/main.tf",
                     '{ for label, member in var.readers : "models/${label}" => { bucket = "models", member = member } }',
                     '{ for pair in setproduct(keys(local.buckets), keys(var.readers)) : "${pair[0]}/${pair[1]}" => { bucket = pair[0], member = var.readers[pair[1]] } }',
                     "not the models bucket", id="gcp-serving-reads-datasets"),
        pytest.param(GCP_KUBERNETES, GCP + "network/variables.tf",
                     'default     = []\n\n  validation {\n    condition     = alltrue([for r in var.https_egress_ranges',
                     'default     = ["0.0.0.0/0"]\n\n  validation {\n    condition     = alltrue([for r in var.https_egress_ranges',
                     "egress to 0.0.0.0/0", id="gcp-open-egress"),
    ],
)  # fmt: skip
def test_a_planted_over_grant_is_reported(tmp_path, render_cache, default_project, answers, relative, old, new, expected):
    name = "least-privilege-" + "-".join(f"{k}-{v}" for k, v in sorted(answers.items()))
    project = render_cache.get(name, answers, skip_tasks=True) if answers else default_project
    found = read_answers(project)
    assert check(project, found) == [], "the variant must be clean before the plant"
    problems = check(_planted(tmp_path, project, relative, old, new), found)
    assert any(expected in p for p in problems), problems
