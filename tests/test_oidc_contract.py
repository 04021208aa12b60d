"""The OIDC contract, on every variant: each CI job's token is accepted by the identity it asks for.

Both sides come from the rendered files (tests/oidc_contract.py): the trust policies from the
bootstrap Terraform, the claims from the pipelines. The planted mismatches below show that the
check fails where real pipelines break: an environment named differently on each side, a role
that does not exist, an apply job that can run on any branch, a provider id that is not the pool's.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import read_answers
from oidc_contract import check, coverage, github_uses, gitlab_uses

GCP_GITHUB = {"cloud_provider": "gcp", "ci_provider": "github"}
BOTH_GITLAB = {"cloud_provider": "both", "ci_provider": "gitlab"}
AWS_VM = {"compute_platform": "vm"}
GCP_VM_GITHUB = {"cloud_provider": "gcp", "ci_provider": "github", "compute_platform": "vm"}


def test_every_job_token_is_accepted(variant):
    project, answers = variant
    uses = github_uses(project, answers) + gitlab_uses(project, answers)
    assert uses, "no pipeline job asks for a cloud identity"
    assert check(project, answers) == []
    assert coverage(project, answers) == []


def _planted(tmp_path, project, relative, old, new):
    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".git"))
    path = copy / relative
    text = path.read_text()
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new))
    return copy


@pytest.mark.parametrize(
    ("answers", "relative", "old", "new", "expected"),
    [
        # GitHub job in environment "production"; the AWS apply role trusts environment:prod.
        (
            {},
            ".github/workflows/infra.yml",
            "environment: prod\n",
            "environment: production\n",
            "environment:production",
        ),
        # A role name the bootstrap does not create.
        ({}, ".github/workflows/infra.yml", "-ci-dev-apply", "-ci-dev-deploy", "does not exist"),
        # The Terraform side changes: the apply role now trusts another environment name.
        (
            {},
            "infra/terraform/aws/modules/identity/main.tf",
            ':environment:${env}"',
            ':environment:production-${env}"',
            "rejects",
        ),
        # GitLab apply job allowed on any branch; the AWS apply role trusts the default branch only.
        (
            BOTH_GITLAB,
            ".gitlab-ci.yml",
            '$CI_COMMIT_BRANCH == "main" && $CI_COMMIT_REF_PROTECTED == "true"',
            '$CI_COMMIT_BRANCH && $CI_COMMIT_REF_PROTECTED == "true"',
            "feature/x-1",
        ),
        # GitLab apply job in an environment named differently: the GCP apply account trusts "dev" only.
        (BOTH_GITLAB, ".gitlab-ci.yml", "    name: dev\n", "    name: development\n", "attribute.environment"),
        # GitHub: the provider id is not the pool's.
        (GCP_GITHUB, ".github/workflows/infra.yml", "/providers/github", "/providers/gh", "workload identity provider"),
        # GitHub: the plan job impersonates the dev apply account (trusted only from environment dev).
        (GCP_GITHUB, ".github/workflows/infra.yml", "-plan@", "-apply-dev@", "apply-dev"),
        # GitHub: the build job may run on any branch (workflow_dispatch); the build role trusts main only.
        ({}, ".github/workflows/build.yml", "if: github.ref == 'refs/heads/main'", "if: always()", "feature/x-1"),
        # The Terraform side: the AWS build role (and the drift roles, same trust) trusts another branch.
        (
            {},
            "infra/terraform/aws/modules/identity/main.tf",
            ":ref:refs/heads/${var",
            ":ref:refs/heads/release-${var",
            "rejects",
        ),
        # GitLab: the build job no longer requires a protected main; the GCP build account does.
        (
            BOTH_GITLAB,
            ".gitlab-ci.yml",
            '"main" && $CI_COMMIT_REF_PROTECTED == "true"\n      changes: *image-changes\n  parallel:',
            '"main"\n      changes: *image-changes\n  parallel:',
            "-build@",
        ),
        # GitHub: the dev training job asks for the staging training role (trusted from staging only).
        ({}, ".github/workflows/train.yml", "-ci-dev-train", "-ci-staging-train", "environment:staging"),
        # The Terraform side: the training roles trust the plan subject (pull requests) instead.
        (
            {},
            "infra/terraform/aws/modules/identity/train.tf",
            'trust["${each.key}-apply"]',
            'trust["${each.key}-plan"]',
            "rejects",
        ),
        # GitLab: the manual training jobs allowed on any branch; the training roles trust main only.
        (
            BOTH_GITLAB,
            ".gitlab-ci.yml",
            '$CI_COMMIT_BRANCH == "main" && $CI_COMMIT_REF_PROTECTED == "true" && $CI_PIPELINE_SOURCE != "schedule"',
            '$CI_COMMIT_BRANCH && $CI_PIPELINE_SOURCE != "schedule"',
            "feature/x-1",
        ),
        # GitHub on Google Cloud: the dev training job impersonates the staging training account.
        (GCP_GITHUB, ".github/workflows/train.yml", "-citrain-dev@", "-citrain-staging@", "attribute.environment"),
        # GitHub: the drift job runs in an environment; the drift role trusts the default branch's subject.
        ({}, ".github/workflows/drift.yml", "name: drift (dev)\n", "name: drift (dev)\n    environment: dev\n", "rej"),
        # GitHub: the drift jobs may run on any branch (workflow_dispatch); the drift roles trust main only.
        ({}, ".github/workflows/drift.yml", "if: github.ref == 'refs/heads/main'", "if: always()", "feature/x-1"),
        # The Terraform side: the AWS drift roles trust pull requests instead.
        (
            {},
            "infra/terraform/aws/modules/identity/drift.tf",
            'trust["default-branch"]',
            'trust["${each.key}-plan"]',
            "rejects",
        ),
        # GitLab: the drift jobs allowed on an unprotected main; the GCP drift account trusts a protected one.
        (
            BOTH_GITLAB,
            ".gitlab-ci.yml",
            '"main" && $CI_COMMIT_REF_PROTECTED == "true" && $CI_PIPELINE_SOURCE == "schedule" && $PIPELINE',
            '"main" && $CI_PIPELINE_SOURCE == "schedule" && $PIPELINE',
            "-cidrift-",
        ),
        # The Terraform side on Google Cloud: the drift accounts trust another branch.
        (
            GCP_GITHUB,
            "infra/terraform/gcp/modules/identity/drift.tf",
            "member             = local.build_principal",
            'member             = "${local.pool_principal}/attribute.ref/refs/heads/release"',
            "-cidrift-",
        ),
        # GPU VM: the dev deploy job asks for the prod deploy role (trusted from prod only).
        (
            AWS_VM,
            ".github/workflows/build.yml",
            "role/churn-model-ci-dev-deploy",
            "role/churn-model-ci-prod-deploy",
            "environment:prod",
        ),
        # GPU VM, the Terraform side: the deploy and training roles trust pull requests instead.
        (
            AWS_VM,
            "infra/terraform/aws/modules/identity/vm_ci.tf",
            'trust["${each.value.env}-apply"]',
            'trust["${each.value.env}-plan"]',
            "rejects",
        ),
        # GPU VM on Google Cloud: the staging deploy job runs outside its environment.
        (GCP_VM_GITHUB, ".github/workflows/build.yml", "    environment: staging\n", "", "-deploy-staging@"),
    ],
    ids=[
        "gh-env-name",
        "gh-role-name",
        "tf-trust-changed",
        "gl-any-branch",
        "gl-gcp-env-name",
        "gh-gcp-provider",
        "gh-gcp-account",
        "gh-build-any-branch",
        "tf-build-trust-changed",
        "gl-build-unprotected",
        "gh-train-other-env",
        "tf-train-trust-changed",
        "gl-train-any-branch",
        "gh-gcp-train-other-env",
        "gh-drift-in-environment",
        "gh-drift-any-branch",
        "tf-drift-trust-changed",
        "gl-drift-unprotected",
        "tf-gcp-drift-trust-changed",
        "gh-vm-deploy-other-env",
        "tf-vm-trust-changed",
        "gh-gcp-vm-deploy-no-env",
    ],
)
def test_planted_mismatch_is_reported(tmp_path, render_cache, answers, relative, old, new, expected):
    project = render_cache.get("oidc-" + "-".join(f"{k}={v}" for k, v in answers.items()) or "defaults", answers)
    assert check(project, read_answers(project)) == []
    broken = _planted(tmp_path, project, relative, old, new)
    problems = check(broken, read_answers(broken))
    assert problems, "the planted mismatch was not reported"
    assert any(expected in problem for problem in problems), problems


def test_string_like_and_cel_semantics():
    from hcl_eval import cel, glob_match

    # IAM StringLike: `*` spans any characters (slashes included), `?` exactly one.
    assert glob_match("project_path:a/b:ref_type:branch:ref:*", "project_path:a/b:ref_type:branch:ref:feature/x")
    assert not glob_match("repo:a/b:environment:prod", "repo:a/b:environment:production")
    assert glob_match("repo:a/b:ref:refs/heads/v?", "repo:a/b:ref:refs/heads/v1")
    # GitLab mapping: an unprotected environment of the same name maps to 'none'.
    mapping = "has(assertion.environment) && assertion.environment_protected == 'true' ? assertion.environment : 'none'"
    assert cel(mapping, {"environment": "prod", "environment_protected": "true"}) == "prod"
    assert cel(mapping, {"environment": "prod", "environment_protected": "false"}) == "none"
    assert cel(mapping, {}) == "none"


def test_missing_build_job_is_reported(tmp_path, render_cache):
    project = render_cache.get("oidc-defaults", {})
    assert coverage(project, read_answers(project)) == []
    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".git"))
    (copy / ".github/workflows/build.yml").unlink()
    assert "no job assumes the AWS build role" in coverage(copy, read_answers(copy))


def test_missing_train_job_is_reported(tmp_path, render_cache):
    project = render_cache.get("oidc-defaults", {})
    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".git"))
    (copy / ".github/workflows/train.yml").unlink()
    assert "no job assumes the AWS training role of dev" in coverage(copy, read_answers(copy))


@pytest.mark.parametrize(
    ("answers", "old", "new", "expected"),
    [
        ({}, "-ci-dev-drift", "-ci-staging-drift", "no job assumes the AWS drift role of dev"),
        (GCP_GITHUB, "-cidrift-prod@", "-cidrift-dev@", "no job impersonates the GCP drift service account of prod"),
    ],
    ids=["aws", "gcp"],
)
def test_environment_without_its_drift_job_is_reported(tmp_path, render_cache, answers, old, new, expected):
    """The drift identities all trust the same subject, so a job watching the wrong environment is
    accepted by the trust: the coverage check is what catches it."""
    project = render_cache.get("oidc-" + "-".join(f"{k}={v}" for k, v in answers.items()) or "defaults", answers)
    assert coverage(project, read_answers(project)) == []
    broken = _planted(tmp_path, project, ".github/workflows/drift.yml", old, new)
    assert check(broken, read_answers(broken)) == []
    assert expected in coverage(broken, read_answers(broken))


# ── The drift pipeline of the GPU VM (its timer ships the server's log): the same contract ──────
AWS_GITHUB_VM = {"compute_platform": "vm", "ci_provider": "github"}
GCP_GITLAB_VM = {"cloud_provider": "gcp", "compute_platform": "vm", "ci_provider": "gitlab"}


@pytest.mark.parametrize(
    ("answers", "relative", "old", "new", "expected"),
    [
        # Trust: the drift jobs may run on any branch; the drift roles trust main only.
        (AWS_GITHUB_VM, ".github/workflows/drift.yml", "if: github.ref == 'refs/heads/main'", "if: always()",
         "feature/x-1"),
        # Trust: the drift jobs allowed on an unprotected main; the GCP drift accounts trust a protected one.
        (
            GCP_GITLAB_VM,
            ".gitlab-ci.yml",
            '"main" && $CI_COMMIT_REF_PROTECTED == "true" && $CI_PIPELINE_SOURCE == "schedule" && $PIPELINE',
            '"main" && $CI_PIPELINE_SOURCE == "schedule" && $PIPELINE',
            "-cidrift-",
        ),
        # Coverage: the dev job reads with the staging role (accepted by the trust, watched by nobody).
        (AWS_GITHUB_VM, ".github/workflows/drift.yml", "-ci-dev-drift", "-ci-staging-drift", "AWS drift role of dev"),
        (GCP_GITLAB_VM, ".gitlab-ci.yml", "-cidrift-prod@", "-cidrift-dev@", "GCP drift service account of prod"),
    ],
    ids=["gh-aws-any-branch", "gl-gcp-unprotected", "gh-aws-other-env", "gl-gcp-other-env"],
)  # fmt: skip
def test_vm_drift_jobs_keep_the_contract(tmp_path, render_cache, answers, relative, old, new, expected):
    project = render_cache.get("oidc-" + "-".join(f"{k}={v}" for k, v in answers.items()), answers)
    answers = read_answers(project)
    assert check(project, answers) == [] and coverage(project, answers) == []
    broken = _planted(tmp_path, project, relative, old, new)
    problems = check(broken, answers) + coverage(broken, answers)
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("answers", "workflow", "expected"),
    [
        (AWS_VM, "build.yml", "no job assumes the AWS deploy role of dev"),
        (AWS_VM, "train.yml", "no job assumes the AWS training role of dev"),
        (GCP_VM_GITHUB, "build.yml", "no job impersonates the GCP deploy service account of dev"),
    ],
    ids=["aws-deploy", "aws-train", "gcp-deploy"],
)
def test_missing_vm_job_is_reported(tmp_path, render_cache, answers, workflow, expected):
    project = render_cache.get("oidc-" + "-".join(f"{k}={v}" for k, v in answers.items()), answers)
    assert coverage(project, read_answers(project)) == []
    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".git"))
    (copy / ".github/workflows" / workflow).unlink()
    assert expected in coverage(copy, read_answers(copy))
