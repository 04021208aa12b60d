"""The AWS GPU VM reaches every AWS service its scripts call, with no internet.

Since the access-control work (issue 12) the VM's security group allows HTTPS only to the VPC's
interface endpoints and the S3 gateway, not to the internet. A script on the VM that calls a
service without an endpoint (the prediction-log key in Secrets Manager, say) then fails at run
time, far from the Terraform that caused it. This test reads every `aws <service>` call and the ECR
registry host in the rendered VM scripts and requires an endpoint for each.
"""

from __future__ import annotations

import re

import hcl2
import pytest

# `aws <command>` -> the endpoint services it needs (S3 goes through the gateway endpoint).
ENDPOINTS_OF_COMMAND = {
    "ecr": {"ecr.api"},
    "secretsmanager": {"secretsmanager"},
    "sts": {"sts"},
    "s3": set(),
    "cloudwatch": {"monitoring"},
}
VM_SCRIPTS = ("deploy/vm/aws/*", "deploy/vm/units/*", "deploy/models.sh")


def aws_commands(text: str) -> set[str]:
    """The `aws` subcommands run in a shell script: `aws` where a command starts, not in prose."""
    starts = r"(?:^|[;|&]|\$\(|\)|\bthen|\bdo|\belse)"
    return {
        m[1]
        for line in text.splitlines()
        if not line.lstrip().startswith("#")
        for m in re.finditer(starts + r"\s*aws ([a-z0-9-]+) ", line)
    }


def needed_endpoints(project) -> dict[str, set[str]]:
    needed: dict[str, set[str]] = {}
    for pattern in VM_SCRIPTS:
        for path in sorted(project.glob(pattern)):
            text = path.read_text()
            for command in aws_commands(text):
                services = ENDPOINTS_OF_COMMAND.get(command, {f"<unmapped aws {command}>"})
                needed.setdefault(path.name, set()).update(services)
            if ".dkr.ecr." in text:  # docker pulls from the registry host
                needed.setdefault(path.name, set()).add("ecr.dkr")
    return needed


def endpoint_services(project) -> set[str]:
    variables = hcl2.loads((project / "infra/terraform/aws/modules/network/variables.tf").read_text())
    for block in variables["variable"]:
        for name, body in block.items():
            if name.strip('"') == "interface_endpoint_services":
                return {service.strip('"') for service in body["default"]}
    raise AssertionError("modules/network has no interface_endpoint_services variable")


def missing(project) -> list[str]:
    available = endpoint_services(project)
    return [
        f"{script}: {service}"
        for script, services in sorted(needed_endpoints(project).items())
        for service in sorted(services - available)
    ]


def test_every_aws_service_the_vm_calls_has_an_endpoint(variant):
    project, answers = variant
    if not (project / "deploy/vm/aws").is_dir():
        pytest.skip("no AWS GPU VM in this variant")
    assert needed_endpoints(project), "the VM scripts call no AWS service: has the layout changed?"
    assert missing(project) == []


def test_a_call_without_an_endpoint_is_reported(variant, tmp_path):
    project, answers = variant
    if not (project / "deploy/vm/aws").is_dir():
        pytest.skip("no AWS GPU VM in this variant")
    network = tmp_path / "infra/terraform/aws/modules/network"
    network.mkdir(parents=True)
    text = (project / "infra/terraform/aws/modules/network/variables.tf").read_text()
    (network / "variables.tf").write_text(text.replace(', "secretsmanager"', ""))
    for pattern in VM_SCRIPTS:
        for path in project.glob(pattern):
            target = tmp_path / path.relative_to(project)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(path.read_text())
    assert any(problem.endswith(": secretsmanager") for problem in missing(tmp_path))
