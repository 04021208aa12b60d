"""The training image's entrypoint, run for real outside a container (none works on these machines).

A generated project (Google Cloud, scikit-learn) is installed in its own venv as the image's
builder stage would; its pipeline runs up to `validate` and is pushed to a local DVC remote. Then
what the Dockerfile copies to /opt/project is copied to a folder, and docker/train/entrypoint.sh
runs the image's CMD in an empty workspace: it must pull the inputs that dvc.lock names, train,
record the model in dvc.lock and push it. This is the Dockerfile's runtime stage minus the container.
"""

from __future__ import annotations

import shlex
import shutil

import pytest
import yaml

from conftest import read_answers, render
from generated_project import GeneratedProject
from test_deploy import exec_form, final_stage

pytestmark = pytest.mark.slow


def test_training_entrypoint_pulls_trains_records_and_pushes(tmp_path):
    root = render(tmp_path / "project", {"cloud_provider": "gcp", "experiment_tracking": "none"})
    project = GeneratedProject(root, read_answers(root))
    project.install()
    remote = tmp_path / "remote"
    project.run("dvc", "remote", "modify", "--local", "gcs", "url", str(remote))
    project.run("dvc", "repro", "validate")
    project.run("dvc", "push")

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
    project.env.update({"PROJECT_ROOT": str(workspace), "PROJECT_SOURCE": str(image)})
    project.env.update({"DVC_REMOTE": "gcs", "DVC_REMOTE_URL": str(remote)})
    result = project.run("sh", str(script), *command, timeout=900)

    model = workspace / "models" / "model.joblib"
    assert model.is_file(), result.stdout
    assert "commit this dvc.lock" in result.stdout
    lock = yaml.safe_load((workspace / "dvc.lock").read_text())
    outs = {out["path"]: out["md5"] for out in lock["stages"]["train"]["outs"]}
    md5 = outs["models/model.joblib"]
    assert (remote / "files" / "md5" / md5[:2] / md5[2:]).is_file(), "the model was not pushed"
    assert not (root / "models" / "model.joblib").exists(), "the entrypoint trained in the project, not the workspace"
