"""Least privilege, on every variant: every IAM policy document, inline policy and binding that the
rendered Terraform writes obeys the rules of the access matrix (tests/least_privilege.py).

The plants below show that each rule fails where a real grant goes too far: a wildcard action, a
wildcard resource on a write, serving that can write, a CI role that reaches another environment,
a primitive role, an unconditioned iam:PassRole, a boundary that no longer stops escalation,
serving that reads the datasets, a GCP apply account with KMS or Secret Manager admin beyond its
environment or a role on every service account, and egress to the whole internet.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import read_answers
from least_privilege import check, read

GCP_KUBERNETES = {"cloud_provider": "gcp", "compute_platform": "kubernetes"}
AWS_VM = {"cloud_provider": "aws", "compute_platform": "vm"}
# No matrix variant has a feature store on Kubernetes, where serving has an identity of its own.
AWS_FEAST = {"cloud_provider": "aws", "compute_platform": "kubernetes", "feature_store": "feast"}
GCP_FEAST = {**GCP_KUBERNETES, "feature_store": "feast"}
ONLINE_READS = '"dynamodb:BatchGetItem", "dynamodb:GetItem"]'

AWS = "infra/terraform/aws/modules/"
ROLE_OF_ENV = '"${local.name_prefix}:role/${local.env_arns[each.value].name}-*"'
NO_REASON = "\n  validation {\n    condition     = length(var.internet_egress_reason)"
NO_RANGES = "\n  validation {\n    condition     = alltrue([for r in var.https_egress_ranges"
MODEL_READERS = '{ for label, member in var.readers : "models/${label}" => { bucket = "models", member = member } }'
EVERY_BUCKET_READERS = (
    '{ for pair in setproduct(keys(local.buckets), keys(var.readers)) : "${pair[0]}/${pair[1]}"'
    " => { bucket = pair[0], member = var.readers[pair[1]] } }"
)
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
            assert any(
                r.name.endswith(f"-{env}-serve") or r.name.endswith(f"-{env}-gpu-vm") for r in access.roles.values()
            )
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
                     "not its prediction logs", id="serving-writes-models"),
        pytest.param({}, AWS + "stack/main.tf",
                     'resources = ["${module.data.models_bucket_arn}/prediction-logs/${var.environment}/*"]',
                     'resources = ["${module.data.models_bucket_arn}/*"]',
                     "not its prediction logs", id="serving-log-shipping-writes-the-bucket"),
        pytest.param({}, AWS + "stack/main.tf", 'actions   = ["s3:PutObject"]',
                     'actions   = ["s3:PutObject", "s3:DeleteObject"]',
                     "more than read models and write logs", id="serving-deletes-logs"),
        pytest.param({}, AWS + "identity/drift.tf", '"ReadPredictionLogs"\n    actions   = ["s3:GetObject"]',
                     '"ReadPredictionLogs"\n    actions   = ["s3:GetObject", "s3:PutObject"]',
                     "s3:PutObject: it only reads", id="drift-role-writes"),
        pytest.param({}, AWS + "identity/main.tf",
                     ROLE_OF_ENV + ',\n      "${local.name_prefix}:instance',
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
        pytest.param(AWS_FEAST, AWS + "stack/feature_store.tf", ONLINE_READS,
                     '"dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"]',
                     "more than read models and write logs", id="feast-serving-writes-online-features"),
        pytest.param(AWS_FEAST, AWS + "stack/feature_store.tf", "resources = [module.data.models_bucket_arn]",
                     "resources = [module.data.dvc_bucket_arn]", "serving lists", id="feast-serving-lists-datasets"),
        pytest.param(GCP_FEAST, GCP + "stack/feature_store.tf", 'role    = "roles/datastore.viewer"',
                     'role    = "roles/datastore.user"', "holds roles/datastore.user",
                     id="gcp-feast-serving-writes-online-features"),
        pytest.param(AWS_VM, AWS + "gpu_vm/variables.tf",
                     'default     = ""\n' + NO_REASON, 'default     = "a mirror outside AWS"\n' + NO_REASON,
                     "egress to 0.0.0.0/0", id="aws-open-egress"),
        pytest.param(GCP_KUBERNETES, GCP + "identity/variables.tf", '"roles/artifactregistry.admin",',
                     '"roles/editor",', "primitive role roles/editor", id="gcp-primitive-role"),
        pytest.param(GCP_KUBERNETES, GCP + "identity/main.tf",
                     "resource.name.startsWith('projects/_/buckets/${var.project_slug}-${each.key}-')",
                     "resource.name.startsWith('projects/_/buckets/${var.project_slug}-')",
                     "holds roles/storage.admin without a condition limiting it to", id="gcp-ci-not-scoped"),
        pytest.param(GCP_KUBERNETES, GCP + "identity/variables.tf", '"roles/artifactregistry.admin",',
                     '"roles/artifactregistry.admin", "roles/iam.serviceAccountTokenCreator",',
                     "holds roles/iam.serviceAccountTokenCreator on every service account",
                     id="gcp-ci-impersonates-all"),
        pytest.param(GCP_KUBERNETES, GCP + "identity/main.tf", 'role    = "roles/cloudkms.admin"',
                     'role    = "roles/iam.serviceAccountAdmin"',
                     "holds roles/iam.serviceAccountAdmin on every service account", id="gcp-ci-sa-admin-elsewhere"),
        pytest.param(GCP_KUBERNETES, GCP + "identity/workload_accounts.tf",
                     'member             = "serviceAccount:${google_service_account.apply[each.value.env].email}"',
                     'member             = "serviceAccount:${google_service_account.apply["dev"].email}"',
                     "on a service account that is not its environment's", id="gcp-ci-on-other-env-workload"),
        pytest.param(GCP_KUBERNETES, GCP + "identity/main.tf", "/keyRings/${var.name_prefix}-${env}",
                     "/keyRings/${var.name_prefix}", "holds roles/cloudkms.admin without a condition limiting it to",
                     id="gcp-ci-keys-not-scoped"),
        pytest.param(GCP_KUBERNETES, GCP + "identity/main.tf", "/secrets/${var.project_slug}-${each.key}-",
                     "/secrets/${var.project_slug}-",
                     "holds roles/secretmanager.admin without a condition limiting it to",
                     id="gcp-ci-secrets-not-scoped"),
        pytest.param(GCP_KUBERNETES, GCP + "data/main.tf",
                     MODEL_READERS, EVERY_BUCKET_READERS,
                     "not the models bucket", id="gcp-serving-reads-datasets"),
        pytest.param(GCP_KUBERNETES, GCP + "stack/kubernetes.tf",
                     "/objects/prediction-logs/${var.environment}/')", "/objects/')",
                     "beyond its prediction logs", id="gcp-serving-writes-the-models"),
        pytest.param(GCP_KUBERNETES, GCP + "stack/ci_drift.tf", 'role   = "roles/storage.objectViewer"',
                     'role   = "roles/storage.objectUser"', "holds roles/storage.objectUser: it only reads",
                     id="gcp-drift-account-writes"),
        pytest.param(GCP_KUBERNETES, GCP + "network/variables.tf",
                     "default     = []\n" + NO_RANGES, 'default     = ["0.0.0.0/0"]\n' + NO_RANGES,
                     "egress to 0.0.0.0/0", id="gcp-open-egress"),
    ],
)  # fmt: skip
def test_a_planted_over_grant_is_reported(
    tmp_path, render_cache, default_project, answers, relative, old, new, expected
):
    name = "least-privilege-" + "-".join(f"{k}-{v}" for k, v in sorted(answers.items()))
    project = render_cache.get(name, answers, skip_tasks=True) if answers else default_project
    found = read_answers(project)
    assert check(project, found) == [], "the variant must be clean before the plant"
    problems = check(_planted(tmp_path, project, relative, old, new), found)
    assert any(expected in p for p in problems), problems


HUMAN_ROLES = ("data_scientist", "ml_engineer", "platform_engineer", "break_glass")


def test_the_iam_grants_exactly_the_access_matrix(variant):
    """The bootstrap Terraform of each cloud is fed the matrix that policies/access-matrix.yml shows."""
    import hcl2
    import yaml

    project, answers = variant
    matrix = yaml.safe_load((project / "policies/access-matrix.yml").read_text())
    assert set(matrix["environments"]) == set(answers["environments"])
    for tfvars in sorted(project.glob("infra/terraform/*/bootstrap/terraform.tfvars")):
        grants = hcl2.loads(tfvars.read_text())["access_grants"]
        for env, roles in matrix["environments"].items():
            for role in HUMAN_ROLES:
                given = {k: v.strip('"') for k, v in grants[env][role].items()}
                assert given == roles[role], f"{tfvars}: {env}/{role} differs from the matrix"


def test_codeowners_names_only_paths_that_exist(variant):
    project, _answers = variant
    assert codeowners_missing(project) == []


def codeowners_missing(project):
    missing = []
    for line in (project / "CODEOWNERS").read_text().splitlines():
        pattern = line.split("#", 1)[0].split()
        if pattern and pattern[0].startswith("/") and not (project / pattern[0].strip("/")).exists():
            missing.append(pattern[0])
    return missing


def test_codeowners_check_reports_a_path_that_does_not_exist(tmp_path, default_project):
    copy = tmp_path / "project"
    copy.mkdir()
    (copy / "CODEOWNERS").write_text((default_project / "CODEOWNERS").read_text() + "/.gitlab/  @acme/x\n")
    shutil.copytree(default_project / "policies", copy / "policies")
    assert "/.gitlab/" in codeowners_missing(copy)


GROUPS = """
access_groups = {
  data_scientist    = "group:data-scientists@example.com"
  ml_engineer       = "group:ml-engineers@example.com"
  platform_engineer = "group:platform-engineers@example.com"
  break_glass       = "group:break-glass@example.com"
}
"""
DS_PROD = 'data_scientist    = { compute = "read", dvc_remote = "read"'
DS_STATE = 'terraform_state = "none", validated_data = "write" }\n    ml_engineer'


@pytest.mark.parametrize(
    ("answers", "cloud", "old", "new", "expected"),
    [
        pytest.param({}, "aws", DS_PROD, DS_PROD.replace('dvc_remote = "read"', 'dvc_remote = "write"'),
                     "churn-model-prod-data-scientist writes in prod", id="aws-data-scientist-writes-prod"),
        pytest.param({}, "aws", DS_STATE, DS_STATE.replace('"none"', '"read"'),
                     "churn-model-dev-data-scientist reaches Terraform state", id="aws-data-scientist-state"),
        pytest.param(GCP_KUBERNETES, "gcp", DS_PROD, DS_PROD.replace('dvc_remote = "read"', 'dvc_remote = "write"'),
                     "in prod (humans read only there)", id="gcp-data-scientist-writes-prod"),
        pytest.param(GCP_KUBERNETES, "gcp", DS_STATE, DS_STATE.replace('"none"', '"read"'),
                     "data scientists reach Terraform state", id="gcp-data-scientist-state"),
    ],
)  # fmt: skip
def test_a_planted_human_over_grant_is_reported(
    tmp_path, render_cache, default_project, answers, cloud, old, new, expected
):
    """The matrix is enforced twice: by variable validation at plan time, and here on what the IAM
    would grant were the rendered tfvars edited past it."""
    name = "least-privilege-" + "-".join(f"{k}-{v}" for k, v in sorted(answers.items()))
    project = render_cache.get(name, answers, skip_tasks=True) if answers else default_project
    found = read_answers(project)
    tfvars = f"infra/terraform/{cloud}/bootstrap/terraform.tfvars"
    with_groups = _planted(tmp_path / "groups", project, tfvars, "\n# ", GROUPS + "\n# ")
    assert check(with_groups, found) == [], "the variant with every group given must be clean"
    assert any("human_access" in b.where for b in read(with_groups).bindings) or cloud == "aws"
    problems = check(_planted(tmp_path / "plant", with_groups, tfvars, old, new), found)
    assert any(expected in p for p in problems), problems
