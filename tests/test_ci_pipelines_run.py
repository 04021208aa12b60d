"""The generated pipelines run, not just parse.

GitHub: the ci workflow's `checks` job, its `run:` steps in order in a rendered project, pass.
GitLab: gitlab-ci-local runs the local jobs (lint, tests, data validation, the DVC pipeline on the
sample) with the shell executor and they pass; the cloud jobs are listed, not run, and appear exactly
where they should: plan in merge requests that touch infra/, apply on the protected main branch
(dev automatically, the later environments manual), nothing of infra elsewhere.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ci_runner import commit, gitlab_ci_local, gitlab_jobs, passed_jobs, run_github_job, with_origin
from tools import CACHE

# The one step that needs the network: pre-commit clones its hook repositories from GitHub.
# Its hooks' checks (ruff, formatting, YAML/JSON/TOML) are covered by the steps and checkers before it.
OFFLINE_SKIP = {"pre-commit"}
GITLAB_LOCAL_JOBS = ["lint", "tests", "data-validation", "dvc-pipeline"]
GITLAB = {"ci_provider": "gitlab", "cloud_provider": "both"}


def _copy(render_cache, tmp_path, name, answers):
    project = tmp_path / "project"
    shutil.copytree(render_cache.get(name, answers), project, symlinks=True)
    return project


@pytest.mark.slow
def test_github_ci_job_steps_pass(render_cache, tmp_path):
    project = _copy(render_cache, tmp_path, "defaults", {})
    results = run_github_job(project, "ci.yml", "checks", skip=OFFLINE_SKIP)
    failed = [r for r in results if r.returncode not in (0, None)]
    assert not failed, "\n".join(f"{r.name} exited {r.returncode}:\n{r.output}" for r in failed)
    ran = [r.name for r in results if r.returncode == 0]
    assert ran == [
        "Install uv",
        "uv.lock matches pyproject.toml",
        "Install the project",
        "Lint",
        "Tests",
        "Data validation on the sample",
    ]
    assert (project / "data" / "validated").is_dir()


def test_github_step_runner_stops_at_a_failing_step(tmp_path):
    project = tmp_path / "project"
    (project / ".github" / "workflows").mkdir(parents=True)
    (project / ".github" / "workflows" / "ci.yml").write_text(
        "on: push\njobs:\n  checks:\n    runs-on: ubuntu-24.04\n    env: {WORD: hello}\n    steps:\n"
        '      - name: path\n        run: mkdir -p "$RUNNER_TEMP/bin" && echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"\n'
        '      - name: tool\n        run: printf \'#!/bin/sh\\necho "$WORD"\\n\' > "$RUNNER_TEMP/bin/say" && '
        'chmod +x "$RUNNER_TEMP/bin/say"\n'
        '      - name: uses-path\n        run: test "$(say)" = hello\n'
        "      - name: broken\n        run: false | cat\n"
        "      - name: never\n        run: exit 0\n"
    )
    results = run_github_job(project, "ci.yml", "checks")
    assert [(r.name, r.returncode) for r in results] == [("path", 0), ("tool", 0), ("uses-path", 0), ("broken", 1)]


@pytest.fixture
def gitlab_project(render_cache, tmp_path):
    project = _copy(render_cache, tmp_path, "gitlab-both", GITLAB)
    with_origin(project)
    return project


@pytest.mark.slow
def test_gitlab_local_jobs_pass(gitlab_project, tmp_path):
    cache = CACHE / "uv-gitlab-ci-local"
    cache.mkdir(parents=True, exist_ok=True)
    done = gitlab_ci_local(
        gitlab_project,
        "--force-shell-executor",
        "--concurrency",
        "1",
        "--variable",
        f"UV_CACHE_DIR={cache}",
        *GITLAB_LOCAL_JOBS,
    )
    summary = passed_jobs(done.stdout)
    assert done.returncode == 0 and summary == dict.fromkeys(GITLAB_LOCAL_JOBS, True), done.stdout[-6000:]
    # The DVC pipeline's artifacts: the evaluation's metrics and the promotion gate's decision.
    artifacts = gitlab_project / ".gitlab-ci-local" / "artifacts" / "dvc-pipeline" / "reports"
    assert (artifacts / "metrics.json").is_file() and (artifacts / "promotion.json").is_file()


def test_gitlab_ci_local_reports_a_failing_job(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / ".gitlab-ci.yml").write_text("ok:\n  script: [exit 0]\nbroken:\n  script: [exit 3]\n")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project, check=True)
    commit(project, "pipeline")
    with_origin(project)
    done = gitlab_ci_local(project, "--force-shell-executor", "ok", "broken", timeout=120)
    assert done.returncode != 0
    assert passed_jobs(done.stdout) == {"ok": True, "broken": False}, done.stdout


def test_gitlab_cloud_jobs_are_where_they_belong(gitlab_project):
    environments = ["dev", "staging", "prod"]
    # A branch pipeline without infra changes: no infra job at all.
    jobs = gitlab_jobs(gitlab_project)
    assert {name: when for name, when in jobs.items() if when != "never"} == dict.fromkeys(
        [*GITLAB_LOCAL_JOBS, "pre-commit"], "on_success"
    )
    # A merge request that changes infra/: static checks and a plan per environment, no apply.
    with (gitlab_project / "infra" / "terraform" / "aws" / "envs" / "dev" / "main.tf").open("a") as tf:
        tf.write("# a change\n")
    commit(gitlab_project, "infra change", branch="feature/infra")
    jobs = gitlab_jobs(gitlab_project, "CI_PIPELINE_SOURCE=merge_request_event")
    for env in environments:
        assert jobs[f"plan: [{env}]"] == "on_success"
        assert jobs[f"apply:{env}"] == "never"
    assert jobs["terraform-static"] == jobs["checkov"] == "on_success"
    # The same change on main: apply in order, dev automatically, the others by hand; no plan job.
    subprocess.run(["git", "checkout", "-q", "main"], cwd=gitlab_project, check=True)
    subprocess.run(["git", "merge", "-q", "feature/infra"], cwd=gitlab_project, check=True)
    jobs = gitlab_jobs(gitlab_project, "CI_COMMIT_REF_PROTECTED=true")
    assert [jobs[f"apply:{env}"] for env in environments] == ["on_success", "manual", "manual"]
    assert all(jobs[f"plan: [{env}]"] == "never" for env in environments)
    # main, but not protected: the apply identities would refuse the token, so no apply job runs.
    jobs = gitlab_jobs(gitlab_project, "CI_COMMIT_REF_PROTECTED=false")
    assert all(jobs[f"apply:{env}"] == "never" for env in environments)


def _image_jobs_that_run(jobs: dict) -> list[str]:
    return [
        name
        for name, when in jobs.items()
        if name.startswith(("build", "deploy:", "canary-", "train:", "apply:", "drift:")) and when != "never"
    ]


@pytest.mark.parametrize(
    ("name", "answers"),
    [
        ("gitlab-both-canary", GITLAB | {"deployment_strategy": "canary"}),
        ("gitlab-both-vm", GITLAB | {"compute_platform": "vm"}),
    ],
    ids=["kubernetes-canary", "vm"],
)
def test_gitlab_image_jobs_are_where_they_belong(render_cache, tmp_path, name, answers):
    """Build and deploy only on the protected default branch, after a change the images are built
    from; prod (and every canary job) waits for a person; training by hand on the protected default
    branch, or from the schedule, which then builds, applies and deploys nothing; drift only from
    its own schedule (PIPELINE=drift), never from the training one. The same on the GPU VM (its
    deploy and train jobs), which has no canary jobs."""
    project = _copy(render_cache, tmp_path, name, answers)
    with_origin(project)
    environments = ["dev", "staging", "prod"]
    (project / "src" / "__change__.py").write_text("# a change\n")
    commit(project, "source change", branch="feature/src")
    jobs = gitlab_jobs(project, "CI_PIPELINE_SOURCE=merge_request_event")
    assert not _image_jobs_that_run(jobs)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=project, check=True)
    subprocess.run(["git", "merge", "-q", "feature/src"], cwd=project, check=True)
    jobs = gitlab_jobs(project, "CI_COMMIT_REF_PROTECTED=true")
    assert jobs["build: [train]"] == jobs["build: [serve]"] == "on_success"
    assert [jobs[f"deploy:{env}"] for env in environments] == ["on_success", "on_success", "manual"]
    canary = answers.get("deployment_strategy") == "canary"
    assert any(job.startswith("canary-") for job in jobs) == canary
    for env in environments if canary else []:
        assert {jobs[f"canary-{action}:{env}"] for action in ("step", "promote", "rollback")} == {"manual"}
    assert {jobs[f"train:{env}"] for env in environments} == {"manual"}
    assert {jobs[f"drift:{env}"] for env in environments} == {"never"}  # only its schedule runs it
    # Not protected: the build identity would refuse the token (GCP); nothing is built or deployed.
    jobs = gitlab_jobs(project, "CI_COMMIT_REF_PROTECTED=false")
    assert not _image_jobs_that_run(jobs)
    # The training schedule (TRAIN_ENVIRONMENT=dev): dev trains at once, and nothing else that
    # reaches a cloud runs (`changes:` is always true in a scheduled pipeline).
    jobs = gitlab_jobs(project, "CI_COMMIT_REF_PROTECTED=true", "CI_PIPELINE_SOURCE=schedule", "TRAIN_ENVIRONMENT=dev")
    assert _image_jobs_that_run(jobs) == ["train:dev"]
    assert jobs["train:dev"] == "on_success"
    # The drift schedule (PIPELINE=drift): every environment's drift job, and nothing else.
    jobs = gitlab_jobs(project, "CI_COMMIT_REF_PROTECTED=true", "CI_PIPELINE_SOURCE=schedule", "PIPELINE=drift")
    assert _image_jobs_that_run(jobs) == [f"drift:{env}" for env in environments]
    assert {jobs[f"drift:{env}"] for env in environments} == {"on_success"}
    # A schedule on an unprotected branch: the drift identities would refuse the token.
    jobs = gitlab_jobs(project, "CI_COMMIT_REF_PROTECTED=false", "CI_PIPELINE_SOURCE=schedule", "PIPELINE=drift")
    assert not _image_jobs_that_run(jobs)
