"""Layer 4 of the validation pyramid: a generated project lives its life (DESIGN.md §4).

For each variant below: a fresh venv with the project and its dev tools, the project's own
tests, `dvc repro` twice (the second reruns nothing), `dvc push` to a local remote, the
promotion gate with DVC (a decision is always judged against the current champion, and a model
trained after evaluate is refused), the server answering /predict with two workers (and a 422
on bad input, a 413 on a large body), and the drift job's exit codes; every metric that monitoring/
queries is one the server or the drift job exports.
The variants together cover sklearn/pytorch, mlflow/none, rolling/canary/ab, pandas/spark and
no feature store/Feast.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from answer_sets import answer_sets
from conftest import read_answers, render
from generated_project import GeneratedProject, request, text
from monitoring_queries import dashboard_queries, exposed_names, metric_names, rules

VARIANTS = answer_sets("defaults", "pytorch-none-ab-feast", "sklearn-none-rolling-gcp-spark")  # tests/answer_sets.yml
STAGES = ("prepare", "validate", "train", "evaluate")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=list(VARIANTS), ids=list(VARIANTS))
def project(request, tmp_path_factory) -> GeneratedProject:
    root = render(tmp_path_factory.mktemp(request.param) / "project", VARIANTS[request.param])
    generated = GeneratedProject(root, read_answers(root))
    generated.install()
    return generated


def test_own_tests_pass(project):
    result = project.python("-m", "pytest", "-q", "-p", "no:cacheprovider", timeout=900)
    assert " passed" in result.stdout and " failed" not in result.stdout, result.stdout[-2000:]


def test_shipped_sample_is_the_deterministic_generator_output(project, tmp_path):
    fresh = tmp_path / "customers.csv"
    project.python("-m", f"{project.package}.data.synthetic", "--out", str(fresh))
    shipped = project.root / "data" / "raw" / "customers.csv"
    assert fresh.read_bytes() == shipped.read_bytes()
    assert shipped.stat().st_size < 1_000_000


def test_dvc_repro_runs_the_pipeline_then_nothing(project):
    first = project.run("dvc", "repro")
    for stage in STAGES:
        assert f"Running stage '{stage}'" in first.stdout, first.stdout
    second = project.run("dvc", "repro")
    assert "Running stage" not in second.stdout, second.stdout
    assert all(f"Stage '{stage}' didn't change, skipping" in second.stdout for stage in STAGES), second.stdout
    metrics = json.loads(project.run("dvc", "metrics", "show", "--json").stdout)
    assert "roc_auc" in json.dumps(metrics)
    assert project.run("dvc", "plots", "show", "--json").returncode == 0


def test_dvc_push_to_a_local_remote(project, tmp_path):
    remote = tmp_path / "remote"
    project.run("dvc", "remote", "add", "--local", "--default", "offline", str(remote))
    project.run("dvc", "push")
    assert any(path.is_file() for path in remote.rglob("*"))
    status = project.run("dvc", "status", "--cloud")
    assert "in sync" in status.stdout or "up to date" in status.stdout, status.stdout


def set_train_seed(project: GeneratedProject, seed: int) -> None:
    params = project.root / "params.yaml"
    text = re.sub(r"(?m)^(train:\n  seed:) \d+$", rf"\1 {seed}", params.read_text())
    assert f"train:\n  seed: {seed}" in text
    params.write_text(text)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def model_file(project: GeneratedProject, folder: str) -> Path:
    return project.root / folder / ("model.pt" if project.answers["ml_framework"] == "pytorch" else "model.joblib")


def assert_decision_matches_the_files(project: GeneratedProject) -> dict:
    """promotion.json names the model in models/ and the champion now recorded."""
    decision = json.loads((project.root / "reports" / "promotion.json").read_text())
    record = json.loads((project.root / "champion" / "metrics.json").read_text())
    assert decision["model_sha256"] == file_sha256(model_file(project, "models"))
    assert decision["champion_sha256"] == record["model_sha256"], (decision, record)
    return decision


def test_the_gate_is_judged_against_the_current_champion(project):
    promote = ("python", "-m", f"{project.package}.promote")
    project.run("dvc", "repro")
    # A model trained after evaluate ran is not the one the gate approved.
    set_train_seed(project, 43)
    project.run("dvc", "repro", "train")
    refused = project.run(*promote, check=False)
    assert refused.returncode == 1 and "is not the model that was evaluated" in refused.stderr, refused.stderr
    assert not model_file(project, "champion").exists()
    # Seed 42 evaluated and promoted; the new champion record re-runs evaluate, judged against it.
    set_train_seed(project, 42)
    project.run("dvc", "repro")
    assert_decision_matches_the_files(project)
    project.run(*promote)
    champion_model = model_file(project, "champion")
    assert file_sha256(champion_model) == file_sha256(model_file(project, "models"))
    # git: the record is committed, the model file is a deployment artefact.
    candidates = [champion_model.relative_to(project.root).as_posix(), "champion/metrics.json"]
    assert project.run("git", "check-ignore", *candidates, check=False).stdout.split() == candidates[:1]
    again = project.run("dvc", "repro")
    assert "Running stage 'evaluate'" in again.stdout and "Running stage 'train'" not in again.stdout, again.stdout
    assert assert_decision_matches_the_files(project)["promote"]
    # Another model, promoted or not; then back to seed 42: DVC's cached decision for it was
    # judged against no champion, and must not come back while another champion is recorded.
    set_train_seed(project, 43)
    project.run("dvc", "repro")
    assert_decision_matches_the_files(project)
    project.run(*promote, check=False)
    set_train_seed(project, 42)
    project.run("dvc", "repro")
    assert_decision_matches_the_files(project)


def reference_rows(project: GeneratedProject) -> list[dict]:
    # The validated split is Parquet (a file, or a Spark dataset folder): the project's pandas reads it.
    # The feature columns only (a feast project's splits also carry the customer id and event time).
    to_csv = (
        f"import sys, pandas; from {project.package}.features import FEATURES; "
        "pandas.read_parquet(sys.argv[1], columns=FEATURES).to_csv(sys.stdout, index=False)"
    )
    table = list(csv.DictReader(io.StringIO(project.python("-c", to_csv, "data/validated/test.parquet").stdout)))
    return [{k: (v if k == "contract" else float(v)) for k, v in row.items()} for row in table]


def test_serve_predict_and_reject_bad_input(project, tmp_path):
    if not model_file(project, "champion").exists():  # run alone: promote first, as users do
        project.run("dvc", "repro")
        project.python("-m", f"{project.package}.promote")
    log = tmp_path / "predictions.jsonl"
    rows = reference_rows(project)
    with project.server(log, tmp_path / "prometheus") as base:
        versions = request(base + "/ready")[1]["variants"]
        assert "champion" in versions
        for index, row in enumerate(rows[:150]):  # enough live rows for the drift job's minimum window
            payload = {**row, "tenure_months": int(row["tenure_months"]), "user_id": f"user-{index}@example.com"}
            status, body = request(base + "/predict", payload)
            assert status == 200, body
            assert 0 <= body["churn_probability"] <= 1 and body["model_version"] == versions[body["variant"]]
        status, body = request(base + "/predict", {**rows[0], "age": 5})
        assert status == 422 and "age" in body["detail"]
        status, body = request(base + "/predict", raw=b"{broken")
        assert status == 422
        status, body = request(base + "/predict", raw=b"{" + b" " * 100_000 + b"}")
        assert status == 413
        metrics = text(base + "/metrics")
        assert 'status="422"' in metrics and 'status="413"' in metrics
        # Both workers' predictions, whichever worker answers the scrape.
        counted = re.findall(r"^predictions_total\{[^}]*\} ([0-9.e+]+)$", metrics, flags=re.MULTILINE)
        assert sum(float(value) for value in counted) == 150, metrics
    assert "example.com" not in log.read_text()  # pseudonymised
    # The drift job reads the server's own log: reference-like traffic is no drift.
    drift = project.python("-m", f"{project.package}.monitor.drift", "--current", str(log), check=False)
    assert drift.returncode == 0, drift.stdout + drift.stderr
    assert json.loads((project.root / "reports" / "drift.json").read_text())["current_rows"] == 150
    # Every metric that monitoring/'s rules and dashboard query is exported: by this server or by the
    # drift job's textfile (a family with no sample yet, e.g. no failure so far, would not count).
    exported = exposed_names(metrics) | exposed_names((project.root / "reports" / "drift.prom").read_text())
    queried = metric_names(dashboard_queries(project.root) + [rule["expr"] for rule in rules(project.root)])
    assert "prediction_score_bucket" in queried and "drift_feature_psi" in queried
    assert queried <= exported, sorted(queried - exported)


def test_feast_apply_materialise_then_serve_by_customer_id(project, tmp_path):
    """`make features`' two commands on the pipeline's output, then the server (two workers) answers
    /predict/customer from the SQLite online store, and a 404 for a customer it does not hold."""
    if project.answers["feature_store"] != "feast":
        pytest.skip("no feature store in this variant")
    if not model_file(project, "champion").exists():
        project.run("dvc", "repro")
        project.python("-m", f"{project.package}.promote")
    feast = str(project.bin / "feast")
    project.run(feast, "-c", "feature_repo", "apply")
    project.run(feast, "-c", "feature_repo", "materialize-incremental", "2030-01-01T00:00:00")
    ids = "import pandas; print(*pandas.read_parquet('data/validated/train.parquet')['customer_id'].head(20))"
    customers = [int(value) for value in project.python("-c", ids).stdout.split()]
    with project.server(tmp_path / "predictions.jsonl", tmp_path / "prometheus") as base:
        for customer in customers:
            status, body = request(base + "/predict/customer", {"customer_id": customer})
            assert status == 200 and 0 <= body["churn_probability"] <= 1, body
        status, body = request(base + "/predict/customer", {"customer_id": max(customers) + 10_000_000})
        assert status == 404 and "no features" in body["detail"], body


def test_drift_job_fails_on_shifted_data(project, tmp_path):
    shifted = tmp_path / "shifted.csv"
    rows = reference_rows(project)
    with shifted.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            scaled = {name: row[name] * 1.6 for name in ("monthly_charges", "data_usage_gb")}
            writer.writerow({**row, **scaled})
    drift = project.python("-m", f"{project.package}.monitor.drift", "--current", str(shifted), check=False)
    assert drift.returncode == 1, drift.stdout + drift.stderr
    report = json.loads((project.root / "reports" / "drift.json").read_text())
    assert {"monthly_charges", "data_usage_gb"} <= set(report["drifted_features"])


def _workflow_step(project: GeneratedProject, job: str, name: str) -> dict:
    workflow = yaml.safe_load((project.root / ".github" / "workflows" / "drift.yml").read_text())
    (step,) = [s for s in workflow["jobs"][job]["steps"] if s.get("name", "").startswith(name)]
    return step


def test_drift_workflow_turns_drift_into_an_issue(project, tmp_path):
    """The shell of .github/workflows/drift.yml around the drift job: its exit code and report become
    the job's outputs, and the issue job writes the report into the body of the issue it opens, or
    of the comment on the one already open. uv and gh are stand-ins; the drift job is the project's."""
    if project.answers["ci_provider"] != "github" or project.answers["compute_platform"] != "kubernetes":
        pytest.skip("the GitHub drift workflow is generated for Kubernetes projects")
    env_name = project.answers["environments"][0]
    if not (project.root / "data" / "validated" / "test.parquet").exists():  # run alone
        project.run("dvc", "repro", "validate")
    runner = tmp_path / "runner"
    (runner / "prediction-logs").mkdir(parents=True)
    (runner / "prediction-logs" / "predictions.jsonl").touch()  # the live file, as the sync step leaves it
    with (runner / "prediction-logs" / "predictions.jsonl.20260101T000000Z.serve-1").open("w") as shipped:
        for row in reference_rows(project):
            shifted = {**row, "monthly_charges": row["monthly_charges"] * 1.6}
            shipped.write(json.dumps({"features": shifted}) + "\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "uv").write_text('#!/bin/sh\n[ "$1" = run ] && shift\nexec "$@"\n')
    calls = tmp_path / "gh-calls"
    (bin_dir / "gh").write_text(
        '#!/bin/sh\nprintf "%s\\n" "$*" >> "$GH_CALLS"\n'
        'if [ "$1 $2" = "issue list" ]; then printf "%s" "$OPEN_ISSUE"; fi\n'
        'for a in "$@"; do case "$prev" in --body-file) cp "$a" "$GH_CALLS.body" ;; esac; prev=$a; done\n'
    )
    for tool in ("uv", "gh"):
        (bin_dir / tool).chmod(0o755)
    output, summary = runner / "output", runner / "summary"
    env = {
        **project.env,
        "PATH": f"{bin_dir}{os.pathsep}{project.env['PATH']}",
        "RUNNER_TEMP": str(runner),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GH_CALLS": str(calls),
    }

    def run(step: dict, **extra) -> subprocess.CompletedProcess:
        script = tmp_path / "step.sh"
        script.write_text(step["run"])
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=project.root, env={**env, **extra}, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip

    done = run(_workflow_step(project, f"drift-{env_name}", "Drift"))
    assert done.returncode == 1, done.stdout + done.stderr  # drift fails the job
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert outputs["drift"] == "true"
    assert "Drift detected" in summary.read_text()
    report = json.loads(base64.b64decode(outputs["report"]))
    assert "monthly_charges" in report["drifted_features"]

    issue = _workflow_step(project, f"issue-{env_name}", "Open or update")
    step_env = {"REPORT": outputs["report"], "RUN_URL": "https://github.example/run/1", "GH_REPO": "o/r"}
    done = run(issue, **step_env, OPEN_ISSUE="")
    assert done.returncode == 0, done.stdout + done.stderr
    created = calls.read_text().splitlines()[-1]
    assert created.startswith(f"issue create --title Drift detected in {env_name} --body-file "), created
    body = Path(f"{calls}.body").read_text()
    assert "https://github.example/run/1" in body
    rows = {line.split("|")[1].strip(): line for line in body.splitlines() if line.startswith("| ")}
    assert rows["monthly_charges"].endswith("| true |"), body
    assert sum(line.endswith("| true |") for line in rows.values()) == len(report["drifted_features"]), body
    # An issue is already open: a comment on it, no second issue.
    done = run(issue, **step_env, OPEN_ISSUE="7")
    assert done.returncode == 0, done.stdout + done.stderr
    assert calls.read_text().splitlines()[-1].startswith("issue comment 7 --body-file "), calls.read_text()
