"""The spark variants' cloud submission (`make data-cloud`, src/<package>/data/cloud.py) against the
Terraform that creates what it submits to, and against the CI training identity that runs it.

- every name the submission uses (EMR Serverless application, job runtime role, log group, DVC bucket
  and its key alias; Dataproc's Spark service account, staging bucket, subnet, disks key) is the one
  the environment's Terraform creates;
- the CI training identity of each environment may make exactly the calls the submission makes: on
  AWS, find applications, start job runs on its environment's application, read job runs, pass its
  environment's Spark role to EMR Serverless; on GCP, create and read batches, act as its
  environment's Spark account only.
The generated project's own tests/test_cloud.py checks the commands with the CLIs faked.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import types
from pathlib import Path

import pytest

from least_privilege import read
from terraform_facts import blocks, module_scope, unquote


def spark_variant(variant):
    project, answers = variant
    if answers.get("data_engine") != "spark":
        pytest.skip("not a spark variant")
    return project, answers


def clouds(answers: dict) -> list[str]:
    return {"aws": ["aws"], "gcp": ["gcp"], "both": ["aws", "gcp"]}[answers["cloud_provider"]]


def submission_module(project: Path, answers: dict) -> types.ModuleType:
    """The generated cloud.py, imported without its package's dependencies (it uses config only in main)."""
    package = answers["package_name"]
    name = f"_spark_cloud_{package}_{abs(hash(project))}"
    for stub in (name, f"{name}.data", f"{name}.config"):
        sys.modules[stub] = types.ModuleType(stub)
    sys.modules[name].__path__ = []
    sys.modules[f"{name}.data"].__path__ = []
    sys.modules[f"{name}.config"].Paths = sys.modules[f"{name}.config"].load_params = None
    spec = importlib.util.spec_from_file_location(f"{name}.data.cloud", project / "src" / package / "data" / "cloud.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def env_root(project: Path, cloud: str, env: str) -> Path:
    return project / "infra" / "terraform" / cloud / "envs" / env


def resource(folder: Path, type_: str, name: str) -> dict:
    (body,) = [b for t, n, b in blocks(folder, "resource") if (t, n) == (type_, name)]
    return body


def resource_name(project: Path, cloud: str, env: str, type_: str, name: str) -> str:
    stack = module_scope(env_root(project, cloud, env), "stack")
    return stack.resolve(resource(stack.folder, type_, name)["name"])


def test_submission_uses_the_names_terraform_creates(variant):
    project, answers = spark_variant(variant)
    cloud = submission_module(project, answers)
    assert sorted(cloud.SUBMIT) == clouds(answers)
    for provider in clouds(answers):
        for env in answers["environments"]:
            target = cloud.Target(provider, env)
            root = env_root(project, provider, env)
            data = module_scope(root, "data")
            if provider == "aws":
                assert target.bucket == data.resolve("${var.name}") + "-dvc"
                assert target.data_key == f"alias/{data.resolve('${var.name}')}-data"
                application = resource_name(project, "aws", env, "aws_emrserverless_application", "spark")
                assert target.application == application
                assert target.role == resource_name(project, "aws", env, "aws_iam_role", "spark")
                assert target.log_group == resource_name(project, "aws", env, "aws_cloudwatch_log_group", "spark")
                assert target.region == module_scope(root, "stack").resolve("${var.region}")
            else:
                assert target.bucket == data.resolve("${var.dvc_bucket_name}")
                account = module_scope(root, "spark_service_account")
                assert target.service_account == (
                    f"{account.resolve('${var.account_id}')}@{account.resolve('${var.project_id}')}.iam.gserviceaccount.com"
                )
                assert target.staging_bucket == module_scope(root, "spark_staging").resolve("${var.name}")
                network = module_scope(root, "network")
                region, project_id = network.resolve("${var.region}"), network.resolve("${var.project_id}")
                assert target.subnet == (
                    f"projects/{project_id}/regions/{region}/subnetworks/{network.resolve('${var.name}')}-private"
                )
                kms = module_scope(root, "kms")
                ring = f"projects/{project_id}/locations/{kms.resolve('${var.location}')}/keyRings"
                assert target.kms_key == f"{ring}/{kms.resolve('${var.key_ring_name}')}/cryptoKeys/disks"
                # The key the Dataproc service agent may use (data_engine.tf) is the one --kms-key names.
                stack = module_scope(root, "stack").folder
                grant = resource(stack, "google_kms_crypto_key_iam_member", "spark_dataproc_agent")
                assert grant["crypto_key_id"].replace("'", '"') == '${module.kms.key_ids["disks"]}'


def cli_calls(project: Path, answers: dict, cli: str) -> set[str]:
    """The subcommands cloud.py gives a CLI: ("aws", "emr-serverless", "start-job-run") -> start-job-run."""
    source = (project / "src" / answers["package_name"] / "data" / "cloud.py").read_text()
    if cli == "emr-serverless":
        return set(re.findall(r'"emr-serverless",\s*"([a-z-]+)"', source))
    return set(re.findall(r'"dataproc",\s*"batches",\s*"([a-z-]+)"', source))


def kubernetes_spark_variant(variant):
    project, answers = spark_variant(variant)
    if answers["compute_platform"] != "kubernetes":
        pytest.skip("the CI train pipeline is the Kubernetes one")
    return project, answers


def emr_action(subcommand: str) -> str:
    return "emr-serverless:" + "".join(word.title() for word in subcommand.split("-"))


def test_ci_training_role_may_make_exactly_the_emr_serverless_calls_of_the_submission(variant):
    project, answers = kubernetes_spark_variant(variant)
    if "aws" not in clouds(answers):
        pytest.skip("no AWS")
    cloud = submission_module(project, answers)
    access = read(project)
    calls = {emr_action(call) for call in cli_calls(project, answers, "emr-serverless")}
    assert calls == {"emr-serverless:ListApplications", "emr-serverless:StartJobRun", "emr-serverless:GetJobRun"}
    for env in answers["environments"]:
        target = cloud.Target("aws", env)
        (role,) = [r for key, r in access.roles.items() if key.endswith(f"identity/aws_iam_role.train[{env}]")]
        actions = {a for s in role.statements if s.allow for a in s.actions}
        granted = {a for a in actions if a.startswith(("emr-serverless:", "iam:"))}
        assert granted == calls | {"iam:PassRole"}
        for statement in role.statements:
            if "emr-serverless:StartJobRun" in statement.actions:
                tags = {v: vals for _t, v, vals in statement.conditions}
                assert tags.get("aws:ResourceTag/Name") == [target.application], statement.where
                assert tags.get("aws:ResourceTag/Environment") == [env], statement.where
            if "iam:PassRole" in statement.actions:
                assert [r.rsplit(":", 1)[-1] for r in statement.resources] == [f"role/{target.role}"]
                assert ("StringEquals", "iam:PassedToService", ["emr-serverless.amazonaws.com"]) in statement.conditions
        # The application carries the tag that the role's condition names.
        stack = module_scope(env_root(project, "aws", env), "stack")
        app = resource(stack.folder, "aws_emrserverless_application", "spark")
        tag = re.search(r'Name = "([^"]+)"', app["tags"])
        assert tag and stack.resolve(tag[1]) == target.application, app["tags"]


def test_ci_training_account_may_submit_batches_and_act_as_its_environments_spark_account_only(variant):
    project, answers = kubernetes_spark_variant(variant)
    if "gcp" not in clouds(answers):
        pytest.skip("no Google Cloud")
    assert cli_calls(project, answers, "dataproc") == {"submit", "describe"}
    identity = project / "infra/terraform/gcp/modules/identity"
    role = resource(identity, "google_project_iam_custom_role", "spark_submit")
    # `batches submit --async` creates a batch; `batches describe` gets it. Nothing on clusters or jobs.
    assert sorted(unquote(p) for p in role["permissions"]) == ["dataproc.batches.create", "dataproc.batches.get"]
    access = read(project)
    for env in answers["environments"]:
        ci = f"-citrain-{env}@"
        users = [b for b in access.bindings if b.role == "roles/iam.serviceAccountUser" and ci in b.member]
        assert [b.where.rsplit("/", 1)[-1] for b in users] == ["google_service_account_iam_member.ci_train_spark"]
        stack = module_scope(env_root(project, "gcp", env), "stack")
        binding = resource(stack.folder, "google_service_account_iam_member", "ci_train_spark")
        assert binding["service_account_id"] == "${module.spark_service_account.name}"
        assert not [b for b in access.bindings if ci in b.member and b.role.startswith("roles/dataproc.")]
