"""The train pipeline's cross-file facts (Kubernetes), on GitHub and GitLab renders, AWS and Google Cloud.

The CI job reads the trained model's dvc.lock from the training Job's log: the marker line is
printed by docker/train/entrypoint.sh and cut by a `sed` in the pipeline, two files that must agree.
The job also evaluates against the environment's DVC remote: the bucket and key the pipeline sets
must be the ones the training Job pushed to (the overlay's train-env).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

GITHUB = ("defaults", {})
GITLAB = ("gitlab-both-canary", {"ci_provider": "gitlab", "cloud_provider": "both", "deployment_strategy": "canary"})
GCP_GITHUB = ("oidc-cloud_provider=gcp-ci_provider=github", {"cloud_provider": "gcp", "ci_provider": "github"})
LOCK = "schema: '2.0'\nstages:\n  train:\n    cmd: python -m p.train\n"


def train_scripts(project: Path) -> dict[str, str]:
    """Environment -> the shell of its training job (every run: step or script line, joined)."""
    workflow = project / ".github/workflows/train.yml"
    if workflow.is_file():
        jobs = yaml.safe_load(workflow.read_text())["jobs"]
        return {
            name.removeprefix("train-"): "\n".join(s.get("run", "") for s in job["steps"])
            for name, job in jobs.items()
            if name.startswith("train-")
        }
    pipeline = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
    return {
        name.removeprefix("train:"): "\n".join(job["script"])
        for name, job in pipeline.items()
        if name.startswith("train:")
    }


def lock_extraction(script: str) -> str:
    """The pipeline's command that cuts dvc.lock out of the Job's log (stdin -> stdout)."""
    m = re.search(r"\|\s*(sed -n '[^']*' \| tail -n \+2)", script)
    assert m, "no sed over the training Job's log in the train job"
    return m[1]


@pytest.fixture(params=[GITHUB, GITLAB, GCP_GITHUB], ids=["github", "gitlab", "gcp-github"])
def project(request, render_cache) -> Path:
    name, answers = request.param
    return render_cache.get(name, answers)


def test_the_lock_the_job_prints_is_the_lock_ci_reads(project, tmp_path):
    entrypoint = (project / "docker/train/entrypoint.sh").read_text()
    (marker,) = re.findall(r'echo "(train-entrypoint: pushed[^"]*)"', entrypoint)
    log = f"epoch 1 loss 0.3\n{marker}\n{LOCK}"
    scripts = train_scripts(project)
    assert scripts, "no train job"
    for env, script in scripts.items():
        cut = subprocess.run(
            ["bash", "-c", lock_extraction(script)], input=log, capture_output=True, text=True, check=True
        )
        assert cut.stdout == LOCK, f"{env}: the train job reads {cut.stdout!r} from the Job's log"


def test_ci_evaluates_against_the_remote_the_job_pushed_to(project):
    cloud = "aws" if (project / "deploy/k8s/overlays/aws").is_dir() else "gcp"
    for env, script in train_scripts(project).items():
        overlay = (project / f"deploy/k8s/overlays/{cloud}/{env}/kustomization.yaml").read_text()
        (remote,) = re.findall(r"DVC_REMOTE=(\S+)", overlay)
        (url,) = re.findall(r"DVC_REMOTE_URL=(\S+)", overlay)
        assert f"dvc remote default --local {remote}\n" in script + "\n", env
        assert f"dvc remote modify --local {remote} url {url}\n" in script + "\n", env
        for key in re.findall(r"DVC_SSE_KMS_KEY_ID=(\S+)", overlay):
            assert f"dvc remote modify --local {remote} sse_kms_key_id {key}\n" in script + "\n", env
        # The Job of this environment's cluster, with this commit's images.
        assert f"make train-job CLOUD={cloud} ENV={env} " in script, env
