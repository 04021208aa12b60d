"""Bad answers and incompatible combinations fail with a message that names the question and the
form expected, and nothing is written: no destination is left behind, an existing one is untouched."""

from __future__ import annotations

import pytest

from conftest import render

GCP = {"cloud_provider": "gcp"}
BOTH = {"cloud_provider": "both"}

# (answers, question named in the error, a phrase of what is expected)
BAD_ANSWERS = {
    "name-starts-with-digit": ({"project_name": "1st model"}, "project_name", "starting with a letter"),
    "name-too-short": ({"project_name": "ab"}, "project_name", "3-60 characters"),
    "slug-uppercase": ({"project_slug": "Churn_Model"}, "project_slug", "lowercase"),
    "slug-trailing-dash": ({"project_slug": "churn-"}, "project_slug", "^[a-z][a-z0-9-]{1,38}[a-z0-9]$"),
    "package-with-dash": ({"package_name": "churn-model"}, "package_name", "Python identifier"),
    "description-too-short": ({"description": "tiny"}, "description", "10-200 characters"),
    "author-name-with-newline": ({"author_name": "Ada\nLovelace"}, "author_name", "one line"),
    "email-without-at": ({"author_email": "ml-platform.example.com"}, "author_email", "e-mail address"),
    "email-without-tld": ({"author_email": "team@example"}, "author_email", "e-mail address"),
    "license-unknown": ({"license": "GPL-3.0"}, "license", "Apache-2.0"),
    "python-too-old": ({"python_version": "3.9"}, "python_version", "3.11"),
    "ci-unknown": ({"ci_provider": "jenkins"}, "ci_provider", "github"),
    "github-owner-leading-dash": ({"repository_owner": "-acme"}, "repository_owner", "GitHub organisation"),
    "github-owner-with-subgroup": ({"repository_owner": "acme/ml"}, "repository_owner", "GitHub organisation"),
    "gitlab-group-with-space": (
        {"ci_provider": "gitlab", "repository_owner": "acme corp"},
        "repository_owner",
        "GitLab group path",
    ),
    "repository-name-with-space": ({"repository_name": "churn model"}, "repository_name", "1-100 letters"),
    "cloud-unknown": ({"cloud_provider": "azure"}, "cloud_provider", "aws"),
    "aws-region-not-listed": ({"aws_region": "mars-1"}, "aws_region", "us-east-1"),
    "gcp-region-not-listed": ({**GCP, "gcp_region": "moon-central1"}, "gcp_region", "us-central1"),
    "gcp-project-uppercase": ({**GCP, "gcp_project_id": "My_Project"}, "gcp_project_id", "6-30 characters"),
    "gcp-project-too-short": ({**GCP, "gcp_project_id": "ml-1"}, "gcp_project_id", "6-30 characters"),
    "gcp-project-google": ({**GCP, "gcp_project_id": "google-ml-prod"}, "gcp_project_id", "not containing 'google'"),
    "gcp-project-trailing-dash": ({**BOTH, "gcp_project_id": "churn-model-"}, "gcp_project_id", "not ending with '-'"),
    "no-environment": ({"environments": []}, "environments", "at least one"),
    "environment-unknown": ({"environments": ["dev", "qa"]}, "environments", "staging"),
    "compute-unknown": ({"compute_platform": "bare-metal"}, "compute_platform", "kubernetes"),
    "gpu-unknown": ({"gpu_type": "v100"}, "gpu_type", "a100"),
    "a10g-on-gcp": ({**GCP, "gpu_type": "a10g"}, "gpu_type", "not offered on Google Cloud"),
    "a10g-on-both": ({**BOTH, "gpu_type": "a10g"}, "gpu_type", "not offered on Google Cloud"),
    "gpu-nodes-above-100": ({"gpu_max_nodes": 101}, "gpu_max_nodes", "from 0 to 100"),
    "gpu-nodes-negative": ({"gpu_max_nodes": -1}, "gpu_max_nodes", "from 0 to 100"),
    "gpu-nodes-not-a-number": ({"gpu_max_nodes": "many"}, "gpu_max_nodes", "whole number"),
    "budget-zero": ({"monthly_budget_usd": 0}, "monthly_budget_usd", "greater than 0"),
    "budget-negative": ({"monthly_budget_usd": -50}, "monthly_budget_usd", "greater than 0"),
    "budget-fractional": ({"monthly_budget_usd": 99.5}, "monthly_budget_usd", "whole number"),
    "alert-list-with-bad-email": (
        {"budget_alert_emails": "ops@example.com, finance"},
        "budget_alert_emails",
        "'finance' is not one",
    ),
    "cidr-whole-internet": ({"api_allowed_cidrs": "0.0.0.0/0"}, "api_allowed_cidrs", "whole internet"),
    "cidr-bad-octet": ({"api_allowed_cidrs": "10.0.0.300/24"}, "api_allowed_cidrs", "IPv4 CIDR"),
    "framework-unknown": ({"ml_framework": "tensorflow"}, "ml_framework", "pytorch"),
    "tracking-unknown": ({"experiment_tracking": "wandb"}, "experiment_tracking", "mlflow"),
    "engine-unknown": ({"data_engine": "dask"}, "data_engine", "spark"),
    "feature-store-unknown": ({"feature_store": "tecton"}, "feature_store", "feast"),
    "feast-with-spark": (
        {"data_engine": "spark", "feature_store": "feast"},
        "feature_store",
        "needs data_engine pandas",
    ),
    "strategy-unknown": ({"deployment_strategy": "blue-green"}, "deployment_strategy", "canary"),
    "canary-weight-100": ({"canary_weight_percent": 100}, "canary_weight_percent", "from 1 to 99"),
    "ab-weight-0": ({"deployment_strategy": "ab", "canary_weight_percent": 0}, "canary_weight_percent", "from 1 to 99"),
    "drift-threshold-zero": ({"drift_threshold": 0}, "drift_threshold", "greater than 0"),
    "drift-threshold-above-one": ({"drift_threshold": 1.5}, "drift_threshold", "at most 1"),
    "drift-threshold-text": ({"drift_threshold": "high"}, "drift_threshold", "a number"),
    "p99-latency-zero": ({"p99_latency_ms": 0}, "p99_latency_ms", "from 5 to 60000"),
    "p99-latency-text": ({"p99_latency_ms": "fast"}, "p99_latency_ms", "whole number of milliseconds"),
    "compliance-unknown": ({"compliance_profile": "sox"}, "compliance_profile", "gdpr"),
    "gdpr-aws-us-east": (
        {"compliance_profile": "gdpr", "aws_region": "us-east-1"},
        "aws_region",
        "outside the EU: compliance_profile 'gdpr' needs eu-west-1 or eu-central-1",
    ),
    "gdpr-aws-asia": ({"compliance_profile": "gdpr", "aws_region": "ap-northeast-1"}, "aws_region", "eu-central-1"),
    "gdpr-gcp-us": (
        {**GCP, "compliance_profile": "gdpr", "gcp_region": "us-central1"},
        "gcp_region",
        "needs europe-west1 or europe-west4",
    ),
    "gdpr-both-gcp-outside-eu": (
        {**BOTH, "compliance_profile": "gdpr", "aws_region": "eu-west-1", "gcp_region": "asia-east1"},
        "gcp_region",
        "europe-west1",
    ),
    "gdpr-both-gcp-us": (
        {**BOTH, "compliance_profile": "gdpr", "aws_region": "eu-west-1", "gcp_region": "us-east4"},
        "gcp_region",
        "outside the EU",
    ),
    "name-only-symbols": ({"project_name": "$%&*!"}, "project_name", "starting with a letter"),
    "name-with-quote": ({"project_name": 'Churn "Model"'}, "project_name", "letters of any language"),
    "name-without-latin-transliteration": ({"project_name": "𐌰𐌱𐌲"}, "project_name", "no usable slug"),
    "team-handle-without-at": ({"data_scientists": "data-scientists"}, "data_scientists", "team handle"),
    "team-handle-with-space": ({"ml_engineers": "@acme/ml engineers"}, "ml_engineers", "team handle"),
    "platform-handle-empty": ({"platform_engineers": ""}, "platform_engineers", "team handle"),
    "groups-domain-with-at": (
        {"cloud_provider": "gcp", "gcp_groups_domain": "groups@example.com"},
        "gcp_groups_domain",
        "lowercase domain",
    ),
    "retention-zero": ({"data_retention_days": 0}, "data_retention_days", "from 1 to 3650"),
    "retention-hipaa-too-short": (
        {"compliance_profile": "hipaa", "data_retention_days": 365},
        "data_retention_days",
        "at least 6 years",
    ),
}


@pytest.mark.parametrize(("answers", "question", "expected"), BAD_ANSWERS.values(), ids=BAD_ANSWERS.keys())
def test_bad_answer_is_rejected_and_nothing_is_written(tmp_path, answers, question, expected):
    destination = tmp_path / "new-project"
    with pytest.raises(ValueError) as error:
        render(destination, answers)
    message = str(error.value)
    assert question in message, message
    assert expected in message, message
    assert not destination.exists(), "a failed copy left its destination behind"


def test_existing_directory_is_left_untouched(tmp_path):
    destination = tmp_path / "existing"
    destination.mkdir()
    (destination / "notes.md").write_text("my notes\n")
    before = {p.relative_to(destination): p.read_bytes() for p in destination.rglob("*") if p.is_file()}
    with pytest.raises(ValueError, match="gpu_type"):
        render(destination, {"cloud_provider": "gcp", "gpu_type": "a10g"})
    after = {p.relative_to(destination): p.read_bytes() for p in destination.rglob("*") if p.is_file()}
    assert after == before


def test_at_least_25_bad_inputs_are_covered():
    assert len(BAD_ANSWERS) >= 25
    assert len({question for _, question, _ in BAD_ANSWERS.values()}) >= 20


def test_defaults_render_through_pytest_copie(copie):
    """The README's first command, through pytest-copie: defaults render and are recorded."""
    result = copie.copy()
    assert result.exit_code == 0, result.exception
    answers = result.answers
    assert answers["cloud_provider"] == "aws" and answers["gpu_type"] == "l4"
    assert answers["environments"] == ["dev", "staging", "prod"]
    codeowners = (result.project_dir / "CODEOWNERS").read_text()
    assert "/infra/ " in codeowners and "@acme/platform-engineers" in codeowners
