"""Feast's cloud configurations name what each environment's Terraform creates (feature_store = feast).

feature_repo/feature_store.<cloud>.yaml is read by `make features-cloud ENV=<env>` and by the
deployed server, with FEATURE_STORE_ENV=<env> substituted by Feast. A table, database or bucket
name that differs from the Terraform's would only fail at the first `feast apply` in the cloud (or,
worse, make Feast create an unencrypted table of its own), so this test compares them per
environment: DynamoDB table names (table_name_template) with modules/stack/feature_store.tf's
tables, the Firestore database, the registries' buckets, region and project.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from terraform_facts import blocks, module_scope

CLOUDS = {"aws": ["aws"], "gcp": ["gcp"], "both": ["aws", "gcp"]}


def feast_variant(variant):
    project, answers = variant
    if answers.get("feature_store") != "feast":
        pytest.skip("not a feast variant")
    return project, answers


def config(project: Path, cloud: str, env: str) -> dict:
    """The configuration as Feast reads it for `env` (it expands ${VARIABLES} before parsing)."""
    text = (project / "feature_repo" / f"feature_store.{cloud}.yaml").read_text()
    return yaml.safe_load(text.replace("${FEATURE_STORE_ENV}", env))


def feature_views(project: Path, answers: dict) -> list[str]:
    source = (project / "src" / answers["package_name"] / "feature_store.py").read_text()
    return re.findall(r'^VIEW = "(\w+)"', source, re.MULTILINE)


def resource_body(folder: Path, type_: str, name: str) -> dict:
    (body,) = [b for t, n, b in blocks(folder, "resource") if (t, n) == (type_, name)]
    return body


def mismatches(project: Path, answers: dict) -> list[str]:
    problems = []
    views = feature_views(project, answers)
    for cloud in CLOUDS[answers["cloud_provider"]]:
        for env in answers["environments"]:
            where = f"feature_store.{cloud}.yaml ({env})"
            root = project / "infra" / "terraform" / cloud / "envs" / env
            stack = module_scope(root, "stack")
            data = module_scope(root, "data")
            found = config(project, cloud, env)
            if found["project"] != answers["package_name"]:
                problems.append(f"{where}: project {found['project']}")
            online = found["online_store"]
            if cloud == "aws":
                if stack.resolve(stack.locals["feature_views"]) != views:
                    problems.append(f"{where}: Terraform's feature_views differ from feature_store.py's {views}")
                tables = {f"{stack.resolve('${local.name}')}.{view}" for view in views}
                named = {online["table_name_template"].format(project=found["project"], table_name=v) for v in views}
                if named != tables:
                    problems.append(f"{where}: tables {sorted(named)}, Terraform creates {sorted(tables)}")
                if online["region"] != stack.resolve("${var.region}"):
                    problems.append(f"{where}: region {online['region']}")
                registry = f"s3://{data.resolve('${var.name}')}-models/{stack.resolve('${local.feature_registry_key}')}"
            else:
                body = resource_body(stack.folder, "google_firestore_database", "feature_store")
                if online.get("database") != stack.resolve(body["name"]):
                    problems.append(
                        f"{where}: database {online.get('database')}, Terraform's {stack.resolve(body['name'])}"
                    )
                if online.get("project_id") != stack.resolve("${var.project_id}"):
                    problems.append(f"{where}: project_id {online.get('project_id')}")
                bucket = data.resolve("${var.models_bucket_name}")
                registry = f"gs://{bucket}/{stack.resolve('${local.feature_registry_object}')}"
            if found["registry"] != registry:
                problems.append(f"{where}: registry {found['registry']}, expected {registry}")
    return problems


def test_feast_configurations_name_what_terraform_creates(variant):
    project, answers = feast_variant(variant)
    assert mismatches(project, answers) == []


@pytest.mark.parametrize(
    ("cloud", "old", "new"),
    [
        ("aws", '.{table_name}"', '-{project}.{table_name}"'),
        ("aws", "-models/feature-store/", "-dvc/feature-store/"),
        ("gcp", "-features\n", "-online\n"),
    ],
)
def test_a_configuration_naming_another_store_is_reported(variant, tmp_path, cloud, old, new):
    project, answers = feast_variant(variant)
    if cloud not in CLOUDS[answers["cloud_provider"]]:
        pytest.skip(f"no {cloud}")
    copy = tmp_path / "project"
    shutil.copytree(project, copy, symlinks=True, ignore=shutil.ignore_patterns(".git", "data"))
    path = copy / "feature_repo" / f"feature_store.{cloud}.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    assert mismatches(copy, answers)


def test_the_served_image_carries_the_configuration_the_vm_names(variant):
    """The server opens FEAST_FS_YAML_FILE_PATH (relative to /srv): the image must hold that file."""
    project, answers = feast_variant(variant)
    dockerfile = (project / "docker" / "serve" / "Dockerfile").read_text()
    assert "COPY feature_repo/ feature_repo/" in dockerfile
    assert "!feature_repo/" in (project / ".dockerignore").read_text().splitlines()
    for cloud in CLOUDS[answers["cloud_provider"]]:
        if answers["compute_platform"] == "vm":
            startup = (project / "deploy" / "vm" / cloud / "startup.sh").read_text()
            settings = {cloud: startup}
            expected_env = {cloud: "$environment"}
        else:
            settings = {env: (project / f"deploy/k8s/overlays/{cloud}/{env}/kustomization.yaml").read_text()
                        for env in answers["environments"]}  # fmt: skip
            expected_env = {env: env for env in answers["environments"]}
        for key, text in settings.items():
            (named,) = re.findall(r"FEAST_FS_YAML_FILE_PATH=(\S+)$", text, re.MULTILINE)
            assert named == f"feature_repo/feature_store.{cloud}.yaml"
            assert (project / named).is_file()
            assert re.findall(r"FEATURE_STORE_ENV=(\S+)$", text, re.MULTILINE) == [expected_env[key]]
