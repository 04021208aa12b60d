"""The images' commands, run for real outside a container (none works on these machines).

A generated project (Google Cloud, scikit-learn) is installed in its own venv, as the images'
builder stage installs it; its pipeline runs up to `validate` and is pushed to a local DVC remote.
- Training: what the Dockerfile copies to /opt/project is copied to a folder, and
  docker/train/entrypoint.sh runs the image's CMD in an empty workspace: it must pull the inputs
  that dvc.lock names, train, record the model in dvc.lock and push it.
- Serving: the serving image's ENTRYPOINT + CMD with its ENV (paths moved under a temporary
  folder, the port changed) serves the model put where the deployment puts it, and the image's
  HEALTHCHECK command passes while it runs and fails once it stopped.
"""

from __future__ import annotations

import contextlib
import re
import shlex
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
import yaml

from conftest import read_answers, render
from generated_project import GeneratedProject
from test_deploy import exec_form, final_stage

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = render(
        tmp_path_factory.mktemp("image") / "project", {"cloud_provider": "gcp", "experiment_tracking": "none"}
    )
    generated = GeneratedProject(root, read_answers(root))
    generated.install()
    remote = root.parent / "remote"
    generated.run("dvc", "remote", "modify", "--local", "gcs", "url", str(remote))
    generated.run("dvc", "repro", "validate")
    generated.run("dvc", "push")
    return generated


def test_training_entrypoint_pulls_trains_records_and_pushes(project, tmp_path):
    root, remote = project.root, project.root.parent / "remote"
    # The image's /opt/project: the runtime stage's COPY instructions into it.
    runtime = final_stage(root / "docker" / "train" / "Dockerfile")
    image = tmp_path / "opt-project"
    for name, arguments in runtime:
        words = [w for w in shlex.split(arguments) if not w.startswith("--")]
        if name != "COPY" or not words[-1].startswith("/opt/project/"):
            continue
        destination = image / words[-1].removeprefix("/opt/project/")
        for source in words[:-1]:
            path = root / source
            if path.is_dir():
                shutil.copytree(path, destination, dirs_exist_ok=True)
            else:
                target = destination / path.name if words[-1].endswith("/") else destination
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target)
    entrypoint = [exec_form(a) for n, a in runtime if n == "ENTRYPOINT"][-1]
    command = [exec_form(a) for n, a in runtime if n == "CMD"][-1]
    copied = [shlex.split(a) for n, a in runtime if n == "COPY" and a.split()[-1] == entrypoint[0]]
    script = root / copied[0][-2]

    workspace = tmp_path / "workspace"
    workspace.mkdir()
    env = {"PROJECT_ROOT": str(workspace), "PROJECT_SOURCE": str(image)}
    env |= {"DVC_REMOTE": "gcs", "DVC_REMOTE_URL": str(remote)}
    result = subprocess.run(
        ["sh", str(script), *command], cwd=workspace, env={**project.env, **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"

    assert (workspace / "models" / "model.joblib").is_file(), result.stdout
    assert "commit this dvc.lock" in result.stdout
    lock = yaml.safe_load((workspace / "dvc.lock").read_text())
    md5 = {out["path"]: out["md5"] for out in lock["stages"]["train"]["outs"]}["models/model.joblib"]
    assert (remote / "files" / "md5" / md5[:2] / md5[2:]).is_file(), "the model was not pushed"
    assert not (root / "models" / "model.joblib").exists(), "the entrypoint trained in the project, not the workspace"


def image_env(runtime, moved: dict[str, str]) -> dict[str, str]:
    """The runtime stage's ENV (KEY=value pairs), with absolute paths moved under ``moved``."""
    env = {}
    for name, arguments in runtime:
        if name == "ENV":
            for word in shlex.split(arguments):
                key, _, value = word.partition("=")
                for old, new in moved.items():  # the first match only: a moved path may start with /tmp
                    if re.match(rf"^{re.escape(old)}(/|$)", value):
                        value = new + value[len(old) :]
                        break
                env[key] = value
    env.pop("PATH", None)  # /opt/venv/bin: the project's venv stands in for it
    return env


def test_serving_command_serves_the_mounted_model_and_the_healthcheck_follows_it(project, tmp_path):
    root = project.root
    project.python("-m", f"{project.package}.train")
    models = tmp_path / "models"
    for slot in ("champion", "challenger"):  # where the deployment's init containers put them
        (models / slot).mkdir(parents=True)
        shutil.copy(root / "models" / "model.joblib", models / slot / "model.joblib")
    runtime = final_stage(root / "docker" / "serve" / "Dockerfile")
    moved = {"/models": str(models), "/tmp": str(tmp_path / "tmp"), "/srv": str(tmp_path / "srv")}  # noqa: S108
    (tmp_path / "srv").mkdir()
    env = image_env(runtime, moved)
    assert env["MODEL_PATH"] == str(models / "champion" / "model.joblib")
    command = [exec_form(a) for n, a in runtime if n == "ENTRYPOINT"][-1]
    command += [exec_form(a) for n, a in runtime if n == "CMD"][-1]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])
    image_port = command[command.index("--port") + 1]
    command[command.index("--port") + 1] = port
    (health,) = [a for n, a in runtime if n == "HEALTHCHECK"]
    check = exec_form(health.split(" CMD ", 1)[1])
    check = [part.replace(f":{image_port}/", f":{port}/") for part in check]
    check[0] = str(project.bin / check[0])

    def healthy() -> bool:
        return subprocess.run(check, capture_output=True, timeout=30).returncode == 0

    command[0] = str(project.bin / command[0])
    server = subprocess.Popen(
        command, cwd=tmp_path / "srv", env={**project.env, **env}, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while not healthy():
            assert server.poll() is None, f"the server exited: {server.stderr.read()[-3000:]}"
            assert time.monotonic() < deadline, "the HEALTHCHECK command never passed"
            time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=5) as response:  # noqa: S310
            assert response.status == 200
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=30)
        server.stderr.close()
    assert not healthy(), "the HEALTHCHECK command passes with no server: it cannot fail"
