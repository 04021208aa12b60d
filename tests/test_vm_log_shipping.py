"""compute_platform vm: the model server's prediction log reaches the bucket that the drift pipeline reads.

On the GPU VM several uvicorn workers append to one log; none of them ships it (each would rotate
the other's file), a systemd timer runs one shipper instead (serve/log_shipping.py, ADR 0010). These
tests tie the pieces together across files: the server's log path lies in a host folder (a volume,
not the container's tmpfs), the shipper mounts that same folder and reads the same file, uploads to
the prefix the drift jobs read and the VM's identity may write, and the timer is installed and on.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from checks.kubernetes import clouds
from terraform_facts import blocks, load, unquote


def vm_variant(variant):
    project, answers = variant
    if answers["compute_platform"] != "vm":
        pytest.skip("compute_platform is kubernetes: the servers ship their own logs")
    return project, answers


def exec_start(unit: str) -> list[str]:
    """The words of the unit's ExecStart (continuation lines joined)."""
    (line,) = re.findall(r"^ExecStart=(.*)$", unit.replace("\\\n", " "), re.M)
    return shlex.split(line)


def docker_run(words: list[str]) -> tuple[dict[str, str], dict[str, str], list[str], list[str]]:
    """`docker run` options: volumes (container path -> host path), --env values, --env-file paths,
    and the words from the image on."""
    volumes, env, env_files = {}, {}, []
    i = words.index("run") + 1
    while words[i].startswith("-"):
        option = words[i]
        if option in ("--rm", "--read-only"):
            i += 1
            continue
        value = words[i + 1]
        if option == "--volume":
            host, container = value.split(":")[:2]
            volumes[container] = host
        elif option == "--env":
            name, _, setting = value.partition("=")
            env[name] = setting
        elif option == "--env-file":
            env_files.append(value)
        i += 2
    return volumes, env, env_files, words[i:]


def host_path(volumes: dict[str, str], path: str) -> Path:
    """The host file behind a container path, through the longest volume that holds it."""
    mounts = [c for c in volumes if path.startswith(c.rstrip("/") + "/")]
    assert mounts, f"{path} is in no volume: the container's own (tmpfs) file system"
    mount = max(mounts, key=len)
    return Path(volumes[mount]) / Path(path).relative_to(mount)


def units(project: Path, slug: str) -> dict[str, str]:
    return {p.name.removeprefix(f"{slug}-"): p.read_text() for p in (project / "deploy/vm/units").iterdir()}


def test_the_server_logs_into_the_folder_that_one_shipper_uploads(variant):
    project, answers = vm_variant(variant)
    slug, package = answers["project_slug"], answers["package_name"]
    unit = units(project, slug)
    serve_volumes, serve_env, serve_env_files, _ = docker_run(exec_start(unit["serve.service"]))
    ship_volumes, ship_env, ship_env_files, ship_command = docker_run(exec_start(unit["ship-logs.service"]))

    served = host_path(serve_volumes, serve_env["PREDICTION_LOG"])
    shipped = host_path(ship_volumes, ship_env["PREDICTION_LOG"])
    assert served == shipped, f"the server writes {served}, the shipper rotates {shipped}"
    # The folder exists before the container starts and belongs to the image's user.
    created = re.findall(r"^ExecStartPre=/usr/bin/install -d .*-o (\d+) -g \d+ (\S+)$", unit["serve.service"], re.M)
    assert (
        re.search(r"^ARG APP_UID=(\d+)$", (project / "docker/serve/Dockerfile").read_text(), re.M)[1],
        str(served.parent),
    ) in created
    # One shipper: no worker of the server knows where to upload (each would start its own).
    assert "PREDICTION_LOG_URL" not in serve_env
    assert f"/etc/{slug}/deploy.env" not in serve_env_files, "the server's workers would get PREDICTION_LOG_URL"
    # The shipper: the serving image's own module, once, with the host's network (the VM's credentials).
    assert ship_command[0] == "${SERVE_IMAGE}" and ship_command[1:3] == ["-m", f"{package}.serve.log_shipping"]
    assert "def main(" in (project / "src" / package / "serve/log_shipping.py").read_text()
    assert "--network host" in " ".join(exec_start(unit["ship-logs.service"]))
    assert f"/etc/{slug}/deploy.env" in ship_env_files
    # The timer starts that service (same name), and the startup script turns it on.
    assert re.search(r"^\[Timer\]\nOnCalendar=\S+", unit["ship-logs.timer"], re.M)
    assert not re.search(r"^Unit=", unit["ship-logs.timer"], re.M), "the timer starts another unit than its service"
    assert "WantedBy=timers.target" in unit["ship-logs.timer"]
    for cloud in clouds(answers):
        script = (project / "deploy/vm" / cloud / "startup.sh").read_text()
        assert f"systemctl enable --now {slug}-ship-logs.timer\n" in script


def test_the_shipper_uploads_where_the_drift_pipeline_reads(variant):
    project, answers = vm_variant(variant)
    if answers["ci_provider"] == "github":
        pipeline = (project / ".github/workflows/drift.yml").read_text()
    else:
        pipeline = (project / ".gitlab-ci.yml").read_text()
    for cloud in clouds(answers):
        script = (project / "deploy/vm" / cloud / "startup.sh").read_text()
        (url,) = re.findall(r"^PREDICTION_LOG_URL=(\S+)$", script, re.M)
        (models,) = re.findall(r"^MODELS_URL=(\S+)$", script, re.M)
        assert url == f"{models}/prediction-logs/$environment"
        if cloud == "aws":  # boto reads AWS_DEFAULT_REGION: without it, S3 calls go to us-east-1, past the gateway
            assert f"\nAWS_DEFAULT_REGION={answers['aws_region']}\n" in script
        for env in answers["environments"]:
            assert url.replace("$environment", env) in pipeline, f"{cloud} {env}: the drift jobs read elsewhere"


def test_the_vm_identity_may_write_the_shipped_logs(variant):
    """The VM's one identity trains and serves: it writes the models bucket, the logs' prefix included."""
    project, answers = vm_variant(variant)
    for cloud in clouds(answers):
        stack = project / "infra/terraform" / cloud / "modules/stack"
        if cloud == "aws":
            documents = {name: b for t, name, b in blocks(stack, "data") if t == "aws_iam_policy_document"}
            assert documents["vm"]["source_policy_documents"] == ["${data.aws_iam_policy_document.train.json}"]
            statements = documents["vm"].get("statement", []) + documents["train"]["statement"]
            writes = [s for s in statements if '"s3:PutObject"' in s["actions"]]
            target = "${module.data.models_bucket_arn}/prediction-logs/${var.environment}/x"
            assert any(
                re.fullmatch(re.escape(unquote(r)).replace(r"\*", ".*"), target) for s in writes for r in s["resources"]
            ), "the VM may not write its prediction logs"
            keys = [s for s in statements if '"kms:GenerateDataKey"' in s["actions"]]
            assert any("${module.data.kms_key_arn}" in s["resources"] for s in keys), "no data key for the upload"
        else:
            vm_locals = load(stack / "vm.tf")["locals"][0]
            assert vm_locals["data_writers"] == {"vm": '"serviceAccount:${module.gpu_vm.service_account_email}"'}
            data = {name: b for t, name, b in blocks(project / "infra/terraform/gcp/modules/data", "resource")}
            assert data["writers"]["role"] == '"roles/storage.objectUser"', "the VM may not write its prediction logs"
            assert "keys(local.buckets)" in data["writers"]["for_each"], "the writers reach not every bucket"
