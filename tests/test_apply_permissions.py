"""The CI apply roles can create what their environment's Terraform declares.

Issue 12 replaced the apply roles' PowerUserAccess with an explicit action list per environment
(modules/identity) and a permissions boundary. A list written by hand falls behind the moment a
module gains a resource of a new AWS service (a secret, an alarm, an EMR Serverless application):
`terraform apply` then stops with AccessDenied in CI, long after review. This test reads every
resource type that each env root can create, maps it to its IAM service prefix, and fails when the
environment's apply policy grants no write action of that service.
"""

from __future__ import annotations

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
}


def service(resource_type: str) -> str | None:
    matches = [prefix for prefix in SERVICE_OF_TYPE if resource_type.startswith(prefix)]
    return SERVICE_OF_TYPE[max(matches, key=len)] if matches else None


def resource_types(root) -> set[str]:
    return {b.type for m in root.walk() for b in m.blocks if b.kind == "resource" and b.type.startswith("aws_")}


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
        for resource_type in sorted(resource_types(load_root(env_root))):
            needed = service(resource_type)
            if needed is None:
                problems.append(f"{env}: {resource_type}: no IAM service mapped in SERVICE_OF_TYPE")
            elif needed not in granted:
                problems.append(f"{env}: {resource_type}: the apply role grants no {needed}: write")
    return problems


def test_every_apply_role_can_write_every_service_its_environment_declares(variant):
    project, answers = variant
    if not (project / "infra/terraform/aws/envs").is_dir():
        pytest.skip("no AWS environments in this variant")
    assert missing_grants(project) == []
