"""The GPU VM's deploy and train pipelines (ADR 0017): the two halves of each, run against stubs.

The VM half is the `ci` script that deploy/vm/<cloud>/startup.sh installs; the CI half is
deploy/vm/ci.sh (make vm-deploy, make vm-train). Neither can reach a cloud here, so each runs with
stand-ins for the commands it calls (systemctl, journalctl; aws) that answer like the real ones,
and the tests check what crosses between the files: the dvc.lock marker that the training image
prints and the VM cuts, the document names and script path that Terraform's Session Manager
documents use, the image tag set before the deployment runs, and that bad arguments stop early.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

import hcl_eval
from hcl_eval import load_root

AWS_VM = ("oidc-compute_platform=vm", {"compute_platform": "vm"})
GCP_VM = (
    "oidc-cloud_provider=gcp-ci_provider=github-compute_platform=vm",
    {"cloud_provider": "gcp", "ci_provider": "github", "compute_platform": "vm"},
)
LOCK = "schema: '2.0'\nstages:\n  train:\n    cmd: python -m p.train\n"
RUN = "0123456789abcdef0123456789abcdef"
TAG = "0123456789ab"


@pytest.fixture(scope="module", params=[AWS_VM, GCP_VM], ids=["aws", "gcp"])
def project(request, render_cache) -> Path:
    name, answers = request.param
    return render_cache.get(name, answers)


def vm_ci_script(project: Path, tmp_path: Path) -> Path:
    """The `ci` script as the startup script installs it on the VM."""
    (startup,) = project.glob("deploy/vm/*/startup.sh")
    m = re.search(r"cat >(\S+)/ci\.new <<'SCRIPT'\n(.*?)\nSCRIPT\n", startup.read_text(), re.S)
    assert m, "the startup script installs no ci script"
    script = tmp_path / "ci"
    script.write_text(m[2] + "\n")
    script.chmod(0o755)
    return script


def stub(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text("#!/bin/bash\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def run(cmd, tmp_path, **env):
    path = f"{tmp_path / 'bin'}:{os.environ['PATH']}"
    return subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PATH": path, **env}, timeout=60)


@pytest.fixture
def bin_dir(tmp_path) -> Path:
    (tmp_path / "bin").mkdir()
    return tmp_path / "bin"


def test_the_vm_returns_the_lock_the_training_image_printed(project, tmp_path, bin_dir):
    entrypoint = (project / "docker/train/entrypoint.sh").read_text()
    (marker,) = re.findall(r'echo "(train-entrypoint: pushed[^"]*)"', entrypoint)
    stub(bin_dir, "journalctl", f"printf '%s\\n' 'epoch 1 loss 0.3' '{marker}'\nprintf '%s' \"$LOCK\"\n")
    done = run([vm_ci_script(project, tmp_path), "train-result", RUN], tmp_path, LOCK=LOCK)
    assert done.returncode == 0, done.stderr
    assert done.stdout == LOCK


@pytest.mark.parametrize(
    ("invocation", "state", "result", "expected"),
    [
        (RUN, "activating", "success", "running"),
        (RUN, "inactive", "success", "succeeded"),
        (RUN, "failed", "exit-code", "failed"),
        ("f" * 32, "activating", "success", None),  # another run started since: not this run's state
    ],
)
def test_the_vm_reports_the_state_of_the_run(project, tmp_path, bin_dir, invocation, state, result, expected):
    values = {"InvocationID": invocation, "ActiveState": state, "Result": result}
    cases = "".join(f"    {key}) echo {value} ;;\n" for key, value in values.items())
    stub(bin_dir, "systemctl", f'case "$3" in\n{cases}esac\n')
    done = run([vm_ci_script(project, tmp_path), "train-status", RUN], tmp_path)
    if expected is None:
        assert done.returncode != 0 and "not the last run" in done.stderr
    else:
        assert (done.returncode, done.stdout.strip()) == (0, expected), done.stderr


@pytest.mark.parametrize(
    "args",
    [["deploy", "$(touch /tmp/x)"], ["deploy", "0123456789AB"], ["train-start", "main"], ["train-result", TAG], ["rm"]],
)
def test_the_vm_refuses_bad_arguments(project, tmp_path, bin_dir, args):
    stub(bin_dir, "systemctl", "echo called >&2; exit 0\n")
    done = run([vm_ci_script(project, tmp_path), *args], tmp_path)
    assert done.returncode != 0
    assert "called" not in done.stderr, "the VM acted on a bad argument"


def _documents(project: Path, monkeypatch) -> dict[str, str]:
    """Session Manager document name -> its command (the bootstrap's vm_ci.tf)."""
    monkeypatch.setitem(hcl_eval.FUNCTIONS, "jsonencode", lambda value: {"__jsonencode__": value})
    module = load_root(project / "infra/terraform/aws/bootstrap")
    documents = {}
    for doc in module.all_blocks("resource", "aws_ssm_document"):
        for _key, scope in doc.instances():
            content = doc.attr("content", scope)["__jsonencode__"]
            documents[doc.attr("name", scope)] = content["mainSteps"][0]["inputs"]["runCommand"][0]
    return documents


# The stand-in for the AWS CLI: one instance; send-command remembers its parameters, and the
# invocation answers what the VM's ci script would for them.
FAKE_AWS = r"""
log="$FAKE_DIR/calls"; echo "$*" >> "$log"
case "$1 $2" in
  "ec2 describe-instances") echo i-0abc1234def567890 ;;
  "ec2 create-tags") ;;
  "ssm send-command")
    n=$(wc -l < "$log"); while [ $# -gt 0 ]; do [ "$1" = --parameters ] && echo "$2" > "$FAKE_DIR/cmd-$n"; shift; done
    echo "$n" ;;
  "ssm get-command-invocation")
    id=""; query=""; while [ $# -gt 0 ]; do case "$1" in --command-id) id=$2 ;; --query) query=$2 ;; esac; shift; done
    params=$(cat "$FAKE_DIR/cmd-$id")
    case "$query" in
      Status) echo Success ;;
      StandardErrorContent) ;;
      StandardOutputContent)
        case "$params" in
          *'"start"'*) echo "$RUN" ;;
          *'"status"'*) echo succeeded ;;
          *'"result"'*) printf '%s' "$LOCK" ;;
          *) echo "smoke passed" ;;
        esac ;;
    esac ;;
esac
"""


@pytest.fixture
def aws_project(render_cache) -> Path:
    return render_cache.get(*AWS_VM)


def test_ci_deploys_and_trains_through_the_terraform_documents(aws_project, tmp_path, bin_dir, monkeypatch):
    stub(bin_dir, "aws", FAKE_AWS)
    documents = _documents(aws_project, monkeypatch)
    installed = re.search(r"cat >(\S+)/ci\.new", (aws_project / "deploy/vm/aws/startup.sh").read_text())[1] + "/ci"
    env = {"FAKE_DIR": str(tmp_path), "RUN": RUN, "LOCK": LOCK, "POLL_SECONDS": "0"}
    script = aws_project / "deploy/vm/ci.sh"

    done = run([script, "deploy", "aws", "staging", TAG], tmp_path, **env)
    assert done.returncode == 0, done.stderr
    calls = (tmp_path / "calls").read_text().splitlines()
    tag_set = next(i for i, c in enumerate(calls) if c.startswith("ec2 create-tags"))
    sent = next(i for i, c in enumerate(calls) if c.startswith("ssm send-command"))
    assert tag_set < sent, "the deployment ran before the instance's ImageTag was set"
    assert f"Key=ImageTag,Value={TAG}" in calls[tag_set]
    document = re.search(r"--document-name (\S+)", calls[sent])[1]
    assert document in documents, f"{document}: no such Session Manager document in Terraform"
    assert documents[document] == f"{installed} deploy {{{{ ImageTag }}}}"

    (tmp_path / "calls").unlink()
    lock = tmp_path / "trained.lock"
    done = run([script, "train", "aws", "staging", TAG, str(lock)], tmp_path, **env)
    assert done.returncode == 0, done.stderr
    assert lock.read_text().strip() == LOCK.strip()
    sent = [c for c in (tmp_path / "calls").read_text().splitlines() if c.startswith("ssm send-command")]
    assert len(sent) == 3  # start, status, result
    for call in sent:
        document = re.search(r"--document-name (\S+)", call)[1]
        assert documents.get(document) == f"{installed} train-{{{{ Action }}}} {{{{ Value }}}}", document
    assert not any("create-tags" in c for c in (tmp_path / "calls").read_text().splitlines())


@pytest.mark.parametrize(
    "args", [["deploy", "aws", "qa", TAG], ["deploy", "aws", "dev", "HEAD"], ["train", "aws", "dev", TAG]]
)
def test_ci_refuses_bad_arguments_before_any_cloud_call(aws_project, tmp_path, bin_dir, args):
    stub(bin_dir, "aws", "echo called >&2\n")
    done = run([aws_project / "deploy/vm/ci.sh", *args], tmp_path)
    assert done.returncode != 0 and "called" not in done.stderr


def test_gcp_ci_reaches_the_instance_terraform_creates(render_cache, tmp_path, bin_dir):
    project = render_cache.get(*GCP_VM)
    stub(bin_dir, "gcloud", f'echo "$*" >> {tmp_path}/calls\n')
    done = run([project / "deploy/vm/ci.sh", "deploy", "gcp", "dev", TAG], tmp_path)
    assert done.returncode == 0, done.stderr
    metadata, ssh = (tmp_path / "calls").read_text().splitlines()
    tfvars = (project / "infra/terraform/gcp/envs/dev/terraform.tfvars").read_text()
    zone = re.search(r'^zone\s*=\s*"(.+)"', tfvars, re.M)[1]
    name_prefix = re.search(r'^name_prefix\s*=\s*"(.+)"', tfvars, re.M)[1]
    stack_vm = (project / "infra/terraform/gcp/modules/stack/vm.tf").read_text()
    assert 'name            = "${local.name}-gpu"' in stack_vm  # local.name = <name_prefix>-<env>
    for call in (metadata, ssh):
        assert f" {name_prefix}-dev-gpu --zone {zone} " in call, call
    assert metadata.startswith("compute instances add-metadata") and f"image-tag={TAG}" in metadata
    assert ssh.startswith("compute ssh") and "--tunnel-through-iap" in ssh and f"ci deploy {TAG}" in ssh


# The stand-in for curl on the VM: the metadata server answers the image tag, the server answers
# /health, and /predict records the request and answers $PREDICTION.
FAKE_CURL = r"""
url=""; for arg in "$@"; do case "$arg" in http*) url=$arg ;; esac; done
case "$url" in
  */attributes/image-tag | */tags/instance/ImageTag) printf '%s' "$TAG" ;;
  */health) echo '{"status": "ok"}' ;;
  */predict) cat > "$FAKE_DIR/request.json"; echo "$PREDICTION" ;;
  *) exit 7 ;;
esac
"""


@pytest.mark.parametrize(
    ("prediction", "passes"),
    [
        ('{"churn_probability": 0.31, "churned": false}', True),
        ('{"churn_probability": 1.7, "churned": false}', False),  # out of range
        ('{"detail": "model not loaded"}', False),  # not a prediction
    ],
)
def test_the_vm_deployment_fails_when_its_smoke_test_fails(render_cache, tmp_path, bin_dir, prediction, passes):
    """Google Cloud's `ci deploy` (AWS runs the same smoke test after its own startup script)."""
    project = render_cache.get(*GCP_VM)
    stub(bin_dir, "curl", FAKE_CURL)
    stub(bin_dir, "systemctl", "exit 0\n")
    stub(bin_dir, "google_metadata_script_runner", f'echo "$*" > {tmp_path}/startup\n')
    env = {"FAKE_DIR": str(tmp_path), "TAG": TAG, "PREDICTION": prediction}
    done = run([vm_ci_script(project, tmp_path), "deploy", TAG], tmp_path, **env)
    assert (tmp_path / "startup").read_text().strip() == "startup", "the startup script did not run again"
    assert (done.returncode == 0) == passes, done.stdout + done.stderr
    sent = (tmp_path / "request.json").read_text()
    assert json.loads(sent) == json.loads((project / "deploy/smoke-request.json").read_text())
