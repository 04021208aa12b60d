"""The CI apply identities can create what their environment's Terraform declares.

Issue 12 replaced the apply roles' PowerUserAccess with an explicit action list per environment
(modules/identity) and a permissions boundary. A list written by hand falls behind the moment a
module gains a resource of a new AWS service (a secret, an alarm, an EMR Serverless application):
`terraform apply` then stops with AccessDenied in CI, long after review. This test reads every
resource type that each env root can create, maps it to its IAM service prefix, and fails when the
environment's apply policy grants no write action of that service. On Google Cloud the same, with
the predefined roles bound to the environment's apply service account.
"""

from __future__ import annotations

import re
import shutil

import pytest

from hcl_eval import load_root
from least_privilege import is_write, read

# Terraform resource type prefix -> IAM service prefix. Longest prefix wins; an unknown type fails
# the test, so a new service is mapped (and granted) on purpose.
SERVICE_OF_TYPE = {
    "aws_cloudwatch_log_": "logs",
    "aws_cloudwatch_metric_alarm": "cloudwatch",
    "aws_cloudwatch_composite_alarm": "cloudwatch",
    "aws_cloudwatch_event_": "events",
    "aws_vpc_endpoint": "ec2",
    "aws_vpc": "ec2",
    "aws_subnet": "ec2",
    "aws_route": "ec2",
    "aws_internet_gateway": "ec2",
    "aws_nat_gateway": "ec2",
    "aws_eip": "ec2",
    "aws_security_group": "ec2",
    "aws_default_security_group": "ec2",
    "aws_default_network_acl": "ec2",
    "aws_network_acl": "ec2",
    "aws_flow_log": "ec2",
    "aws_launch_template": "ec2",
    "aws_instance": "ec2",
    "aws_kms_": "kms",
    "aws_s3_": "s3",
    "aws_ecr_": "ecr",
    "aws_eks_": "eks",
    "aws_iam_": "iam",
    "aws_scheduler_": "scheduler",
    "aws_sns_": "sns",
    "aws_secretsmanager_": "secretsmanager",
    "aws_emrserverless_": "emr-serverless",
    "aws_autoscaling_": "autoscaling",
    "aws_ssm_": "ssm",
    "aws_dynamodb_": "dynamodb",
}


def service(resource_type: str) -> str | None:
    matches = [prefix for prefix in SERVICE_OF_TYPE if resource_type.startswith(prefix)]
    return SERVICE_OF_TYPE[max(matches, key=len)] if matches else None


def resource_types(root, provider: str) -> set[str]:
    """Every resource type a root and its modules declare for one provider ("aws", "google")."""
    return {b.type for m in root.walk() for b in m.blocks if b.kind == "resource" and b.type.startswith(f"{provider}_")}


def granted_write_services(statements) -> set[str]:
    return {
        action.split(":", 1)[0]
        for s in statements
        if s.allow and not s.resource_policy
        for action in s.actions
        if is_write(action) or action.endswith(":*")
    }


def missing_grants(project) -> list[str]:
    access = read(project)
    problems = []
    for env_root in sorted((project / "infra/terraform/aws/envs").glob("*")):
        env = env_root.name
        apply = [r for r in access.roles.values() if r.name.endswith(f"-ci-{env}-apply")]
        assert len(apply) == 1, f"no single apply role for {env}: {[r.name for r in access.roles.values()]}"
        granted = granted_write_services(apply[0].statements)
        for resource_type in sorted(resource_types(load_root(env_root), "aws")):
            needed = service(resource_type)
            if needed is None:
                problems.append(f"{env}: {resource_type}: no IAM service mapped in SERVICE_OF_TYPE")
            elif needed not in granted:
                problems.append(f"{env}: {resource_type}: the apply role grants no {needed}: write")
    return problems


# Google Cloud resource type prefix -> the roles (any one) that let the apply account manage it.
ROLES_OF_TYPE = {
    "google_compute_": {"roles/compute.networkAdmin"},
    "google_compute_firewall": {"roles/compute.securityAdmin"},
    "google_compute_instance": {"roles/compute.instanceAdmin.v1"},
    "google_compute_resource_policy": {"roles/compute.instanceAdmin.v1"},
    "google_dns_": {"roles/dns.admin"},
    "google_container_": {"roles/container.clusterAdmin"},
    "google_kms_": {"roles/cloudkms.admin"},
    "google_artifact_registry_": {"roles/artifactregistry.admin"},
    "google_storage_": {"roles/storage.admin"},
    # Creating a service account needs serviceAccountAdmin on the project, which no apply account holds:
    # the bootstrap makes the workloads' accounts (modules/identity/workload_accounts.tf) and grants
    # each apply account its custom role on its own environment's accounts.
    "google_service_account": {"roles/iam.serviceAccountAdmin"},
    "google_service_account_iam_": {"custom:workload_account_iam"},
    "google_project_iam_": {"roles/resourcemanager.projectIamAdmin"},
    "google_secret_manager_": {"roles/secretmanager.admin"},
    "google_monitoring_alert_policy": {"roles/monitoring.alertPolicyEditor"},
    "google_monitoring_notification_channel": {"roles/monitoring.notificationChannelEditor"},
    "google_logging_metric": {"roles/logging.configWriter"},
    "google_firestore_": {"roles/datastore.owner"},
}


def gcp_missing_roles(project) -> list[str]:
    access = read(project)
    problems = []
    for env_root in sorted((project / "infra/terraform/gcp/envs").glob("*")):
        env = env_root.name
        held = {
            re.sub(r"^<google_project_iam_custom_role\.(\w+)\.id>$", r"custom:\1", b.role)
            for b in access.bindings
            if f"apply.{env}." in b.member or f"apply-{env}@" in b.member
        }
        assert held, f"no role bound to the apply account of {env}"
        for resource_type in sorted(resource_types(load_root(env_root), "google")):
            matches = [prefix for prefix in ROLES_OF_TYPE if resource_type.startswith(prefix)]
            if not matches:
                problems.append(f"{env}: {resource_type}: no roles mapped in ROLES_OF_TYPE")
            elif not ROLES_OF_TYPE[max(matches, key=len)] & held:
                wanted = " or ".join(sorted(ROLES_OF_TYPE[max(matches, key=len)]))
                problems.append(f"{env}: {resource_type}: the apply account holds no {wanted}")
    return problems


def unused_grants(project) -> list[str]:
    """The converse: a write service (AWS) or project role (GCP) of an apply identity that no resource
    of its environment needs. Least privilege: such a grant only widens what a stolen CI token can do."""
    access = read(project)
    problems = []
    for env_root in sorted((project / "infra/terraform/aws/envs").glob("*")):
        env = env_root.name
        (apply,) = [r for r in access.roles.values() if r.name.endswith(f"-ci-{env}-apply")]
        needed = {service(t) for t in resource_types(load_root(env_root), "aws")}
        problems += [f"{env}: the apply role writes {s}, which no resource needs" for s in
                     sorted(granted_write_services(apply.statements) - needed)]  # fmt: skip
    for env_root in sorted((project / "infra/terraform/gcp/envs").glob("*")):
        env = env_root.name
        needed = set()
        for resource_type in resource_types(load_root(env_root), "google"):
            matches = [prefix for prefix in ROLES_OF_TYPE if resource_type.startswith(prefix)]
            needed |= ROLES_OF_TYPE[max(matches, key=len)] if matches else set()
        # Its unconditioned project roles (apply_roles); least_privilege judges the conditioned grants.
        project_roles = {
            b.role
            for b in access.bindings
            if f"apply.{env}." in b.member and "google_project_iam_member.apply[" in b.where
        }
        problems += [
            f"{env}: the apply account holds {r}, which no resource needs" for r in sorted(project_roles - needed)
        ]
    return problems


def project_grant_problems(project) -> list[str]:
    """Google Cloud: the apply account may add project IAM grants only of the roles its condition lists
    (modifiedGrantsByRole). Every role the environment root grants must be among them, or the apply
    fails; and every role listed must be one it grants, or the list is wider than needed."""
    access = read(project)
    problems = []
    for env_root in sorted((project / "infra/terraform/gcp/envs").glob("*")):
        env = env_root.name
        granted = {
            b.role
            for b in access.bindings
            if b.where.startswith(f"infra/terraform/gcp/envs/{env}:") and "google_project_iam_member" in b.where
        }
        (condition,) = [b.condition for b in access.bindings if f".apply_grants[{env}]" in b.where]
        grantable = set(re.findall(r"'(roles/[^']+)'", condition))
        problems += [f"{env}: grants {r}, which its apply account may not grant" for r in sorted(granted - grantable)]
        problems += [
            f"{env}: its apply account may grant {r}, which it never grants" for r in sorted(grantable - granted)
        ]
    return problems


def test_every_apply_account_may_grant_exactly_the_project_roles_its_environment_grants(variant):
    project, answers = variant
    if not (project / "infra/terraform/gcp/envs").is_dir():
        pytest.skip("no Google Cloud environments in this variant")
    assert project_grant_problems(project) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('var.data_engine == "spark" ? ["roles/dataproc.worker"] : []', "[]", "grants roles/dataproc.worker, which"),
        ('"roles/logging.logWriter",', '"roles/logging.logWriter", "roles/pubsub.publisher",',
         "may grant roles/pubsub.publisher, which it never grants"),
    ],
)  # fmt: skip
def test_a_grantable_role_mismatch_is_reported(render_cache, tmp_path, old, new, expected):
    spark = {"cloud_provider": "gcp", "compute_platform": "vm", "data_engine": "spark"}
    project = render_cache.get("apply-grants-gcp-vm-spark", spark, skip_tasks=True)
    assert project_grant_problems(project) == [], "the variant must be clean before the plant"
    copy = tmp_path / "project"
    shutil.copytree(project / "infra", copy / "infra")
    identity = copy / "infra/terraform/gcp/modules/identity"
    path = next(f for f in (identity / "main.tf", identity / "variables.tf") if old in f.read_text())
    path.write_text(path.read_text().replace(old, new, 1))
    assert any(expected in p for p in project_grant_problems(copy)), project_grant_problems(copy)


def test_no_apply_identity_holds_a_grant_its_environment_does_not_need(variant):
    project, answers = variant
    if answers["cloud_provider"] not in ("aws", "gcp", "both"):
        pytest.skip("no cloud in this variant")
    assert unused_grants(project) == []


def test_every_apply_account_holds_a_role_for_every_resource_its_environment_declares(variant):
    project, answers = variant
    if not (project / "infra/terraform/gcp/envs").is_dir():
        pytest.skip("no Google Cloud environments in this variant")
    assert gcp_missing_roles(project) == []


def test_every_apply_role_can_write_every_service_its_environment_declares(variant):
    project, answers = variant
    if not (project / "infra/terraform/aws/envs").is_dir():
        pytest.skip("no AWS environments in this variant")
    assert missing_grants(project) == []


@pytest.mark.parametrize(
    ("cloud", "relative", "old", "new", "expected"),
    [
        ("aws", "modules/identity/main.tf", 'for_each = var.compute_platform == "kubernetes" ? [1] : []',
         "for_each = [1]", "the apply role writes "),
        ("gcp", "modules/identity/variables.tf", '"roles/artifactregistry.admin",',
         '"roles/artifactregistry.admin", "roles/pubsub.admin",', "holds roles/pubsub.admin, which no resource needs"),
    ],
)  # fmt: skip
def test_a_grant_no_resource_needs_is_reported(variant, tmp_path, cloud, relative, old, new, expected):
    project, answers = variant
    if not (project / f"infra/terraform/{cloud}/envs").is_dir():
        pytest.skip(f"no {cloud} environments in this variant")
    if cloud == "aws" and answers["compute_platform"] == "kubernetes":
        pytest.skip("the plant grants EKS, which a Kubernetes variant needs")
    copy = tmp_path / "project"
    shutil.copytree(project, copy, symlinks=True)
    path = copy / "infra/terraform" / cloud / relative
    assert old in path.read_text(), f"{old!r} not in {relative}"
    path.write_text(path.read_text().replace(old, new, 1))
    assert any(expected in p for p in unused_grants(copy)), unused_grants(copy)


@pytest.mark.parametrize(
    ("cloud", "planted", "expected"),
    [
        ("aws", 'resource "aws_sqs_queue" "planted" {}', "aws_sqs_queue: no IAM service mapped"),
        ("aws", 'resource "aws_autoscaling_group" "planted" {}', "the apply role grants no autoscaling: write"),
        ("aws", 'resource "aws_sns_topic" "planted" {}', None),
        ("gcp", 'resource "google_pubsub_topic" "planted" {}', "google_pubsub_topic: no roles mapped"),
        ("gcp", 'resource "google_service_account" "planted" {}', "holds no roles/iam.serviceAccountAdmin"),
    ],
)
def test_a_resource_of_an_ungranted_service_is_reported(variant, tmp_path, cloud, planted, expected):
    project, answers = variant
    if not (project / f"infra/terraform/{cloud}/envs").is_dir():
        pytest.skip(f"no {cloud} environments in this variant")
    copy = tmp_path / "project"
    shutil.copytree(project, copy, symlinks=True)
    env_root = sorted((copy / f"infra/terraform/{cloud}/envs").glob("*"))[0]
    (env_root / "planted.tf").write_text(planted + "\n")
    problems = (missing_grants if cloud == "aws" else gcp_missing_roles)(copy)
    if expected is None:  # a mapped and granted service: the plant passes, the check is not blind
        assert problems == []
    else:
        assert any(expected in p for p in problems), problems
