"""Run a generated pipeline's jobs on this machine, as far as they run without a cloud.

- GitHub: :func:`run_github_job` runs the `run:` steps of one workflow job in order, in the
  project, with the workflow's, job's and step's `env`, under GitHub's default shell
  (`bash --noprofile --norc -eo pipefail`), with the runner files a step may write to
  (GITHUB_PATH, GITHUB_ENV, GITHUB_STEP_SUMMARY, RUNNER_TEMP). `uses:` steps are not run here:
  the project is already checked out, and actions need GitHub's runner.
- GitLab: :func:`gitlab_ci_local` runs the npm package gitlab-ci-local, a GitLab CI interpreter
  (rules, needs, extends, parallel:matrix, variables), against the project's `.gitlab-ci.yml`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools import tool


@dataclass
class StepResult:
    name: str
    returncode: int | None  # None: not run (a `uses:` step, or skipped on purpose)
    output: str = ""


def run_github_job(project: Path, workflow: str, job_id: str, skip: set[str] = frozenset(), timeout=900):
    """The job's `run:` steps, in order, until one fails; returns a StepResult per step."""
    spec = yaml.safe_load((project / ".github" / "workflows" / workflow).read_text())
    job = spec["jobs"][job_id]
    runner = project.parent / f"runner-{job_id}"
    temp = runner / "temp"
    temp.mkdir(parents=True, exist_ok=True)
    files = {name: runner / name.lower() for name in ("GITHUB_PATH", "GITHUB_ENV", "GITHUB_STEP_SUMMARY")}
    for path in files.values():
        path.touch()
    extra_path: list[str] = []
    extra_env: dict[str, str] = {}
    results = []
    for index, step in enumerate(job["steps"]):
        name = step.get("name") or step.get("uses") or step["run"].splitlines()[0]
        if "run" not in step or name in skip:
            results.append(StepResult(name, None))
            continue
        if "${{" in step["run"]:
            raise ValueError(f"{workflow}: {job_id}: step {name!r} has an expression this runner cannot evaluate")
        env = {
            **os.environ,
            **{k: str(v) for k, v in (spec.get("env") or {}).items()},
            **{k: str(v) for k, v in (job.get("env") or {}).items()},
            **{k: str(v) for k, v in (step.get("env") or {}).items()},
            **extra_env,
            **{k: str(v) for k, v in files.items()},
            "RUNNER_TEMP": str(temp),
            "GITHUB_WORKSPACE": str(project),
            "CI": "true",
        }
        env["PATH"] = os.pathsep.join([*reversed(extra_path), env["PATH"]])
        script = runner / f"step-{index}.sh"
        script.write_text(step["run"])
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=project / step.get("working-directory", "."),
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        results.append(StepResult(name, done.returncode, (done.stdout + done.stderr)[-4000:]))
        extra_path = [line for line in files["GITHUB_PATH"].read_text().splitlines() if line]
        for line in files["GITHUB_ENV"].read_text().splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                extra_env[key] = value
        if done.returncode != 0:
            break
    return results


def gitlab_ci_local(project: Path, *args: str, timeout=1200) -> subprocess.CompletedProcess:
    """gitlab-ci-local in the project (a git repository with an `origin` whose HEAD is main)."""
    return subprocess.run(
        [tool("gitlab-ci-local"), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def gitlab_jobs(project: Path, *variables: str) -> dict[str, str]:
    """Job name -> `when` (`never` for jobs whose rules exclude them), for a pipeline with ``variables``."""
    names = [v.split("=", 1)[0] for v in variables]
    args = ["--list-json"]
    for variable in variables:
        args += ["--variable", variable]
    if names:
        args += ["--ignore-predefined-vars", ",".join(names)]
    done = gitlab_ci_local(project, *args, timeout=120)
    if done.returncode != 0:
        raise AssertionError(f"gitlab-ci-local --list-json exited {done.returncode}: {done.stderr[-2000:]}")
    return {job["name"]: job["when"] for job in json.loads(done.stdout)}


def passed_jobs(output: str) -> dict[str, bool]:
    """gitlab-ci-local's summary: job -> passed."""
    return {m[2].strip(): m[1] == "PASS" for m in re.finditer(r"^\s*(PASS|FAIL)\s+(\S.*?)\s*$", output, re.M)}


def with_origin(project: Path) -> None:
    """An `origin` remote (a bare clone) whose HEAD is main: gitlab-ci-local diffs `changes:` against it."""
    bare = project.parent / "origin.git"
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "clone", "-q", "--bare", str(project), str(bare)], check=True)
    subprocess.run([*git, "remote", "add", "origin", str(bare)], cwd=project, check=True)
    subprocess.run([*git, "fetch", "-q", "origin"], cwd=project, check=True)
    subprocess.run([*git, "remote", "set-head", "origin", "main"], cwd=project, check=True)


def commit(project: Path, message: str, branch: str | None = None) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    if branch:
        subprocess.run([*git, "checkout", "-q", "-B", branch], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "--no-verify", "-m", message], cwd=project, check=True)
