"""The Terraform checkers: each catches a planted defect (with file and line) and passes clean code.

- provider schema (tests/provider_schema.py): what `terraform validate` would catch, offline;
- terraform fmt, checkov, and the one checkov skip file (every skip has a reason);
- the generated Terraform is fmt-clean as rendered (before the post-copy hook formats it);
- `terraform init -backend=false` + `validate` per root where a modern terraform and the network exist.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import copier
import pytest

from checks.checkov_scan import check as checkov_check
from checks.checkov_scan import skips_have_reasons
from checks.terraform_fmt import check as fmt_check
from provider_schema import PROVIDERS, check_file, schema
from terraform_validate import validate_roots
from tools import REPO


def problems(tmp_path, hcl: str) -> list[str]:
    path = tmp_path / "main.tf"
    path.write_text(textwrap.dedent(hcl))
    return [f"{p.line}: {p.message}" for p in check_file(path)]


VALID = """
    resource "aws_s3_bucket" "data" {
      bucket        = "${var.project}-data"
      force_destroy = false
      tags          = { Name = "data" }

      lifecycle {
        prevent_destroy = true
      }
    }

    resource "aws_eks_node_group" "gpu" {
      count           = var.enabled ? 1 : 0
      cluster_name    = "c"
      node_role_arn   = "arn"
      subnet_ids      = ["a", "b"]
      ami_type        = "AL2023_x86_64_NVIDIA"
      depends_on      = [aws_s3_bucket.data]
      provider        = aws.gpu

      scaling_config {
        desired_size = 0
        min_size     = 0
        max_size     = 4
      }

      dynamic "taint" {
        for_each = var.taints
        content {
          key    = taint.value.key
          effect = "NO_SCHEDULE"
        }
      }

      timeouts {
        create = "60m"
      }
    }

    data "aws_iam_policy_document" "tls" {
      statement {
        effect    = "Deny"
        actions   = ["s3:*"]
        resources = ["*"]
        principals {
          type        = "*"
          identifiers = ["*"]
        }
        condition {
          test     = "Bool"
          variable = "aws:SecureTransport"
          values   = ["false"]
        }
      }
    }

    resource "random_id" "suffix" {
      byte_length = 4
    }
"""


def test_accepts_valid_blocks_with_meta_arguments(tmp_path):
    assert problems(tmp_path, VALID) == []


def test_catches_misspelled_argument(tmp_path):
    found = problems(tmp_path, VALID.replace("force_destroy", "force_destory"))
    assert found == ['4: resource "aws_s3_bucket" "data": unknown argument \'force_destory\'']


def test_catches_unknown_nested_block(tmp_path):
    found = problems(tmp_path, VALID.replace("timeouts {", "timeout {"))
    assert len(found) == 1 and "unknown nested block 'timeout'" in found[0] and found[0].startswith("35:")


def test_catches_missing_required_argument_top_level_and_nested(tmp_path):
    found = problems(tmp_path, VALID.replace('node_role_arn   = "arn"', "").replace("variable = ", "#"))
    assert any('aws_eks_node_group" "gpu": missing required argument \'node_role_arn\'' in f for f in found)
    assert any(".statement.condition: missing required argument 'variable'" in f for f in found)
    assert len(found) == 2


def test_catches_missing_required_block(tmp_path):
    hcl = VALID.replace("scaling_config {", "update_config {").replace("desired_size = 0", "")
    hcl = hcl.replace("min_size     = 0", "").replace("max_size     = 4", "max_unavailable = 1")
    assert any("missing required block 'scaling_config'" in f for f in problems(tmp_path, hcl))


def test_catches_unknown_resource_and_data_types(tmp_path):
    found = problems(
        tmp_path,
        VALID.replace('"aws_s3_bucket" "data"', '"aws_s3_buckets" "data"').replace(
            '"aws_iam_policy_document"', '"aws_iam_policy_documents"'
        ),
    )
    assert any(f.startswith("2:") and "unknown resource type 'aws_s3_buckets'" in f for f in found)
    assert any("unknown data source type 'aws_iam_policy_documents'" in f for f in found)


def test_checks_dynamic_block_content_against_the_block_schema(tmp_path):
    found = problems(tmp_path, VALID.replace("key    = taint.value.key", "kee = taint.value.key"))
    assert any(".taint: unknown argument 'kee'" in f for f in found)
    assert any(".taint: missing required argument 'key'" in f for f in found)
    found = problems(tmp_path, VALID.replace('dynamic "taint"', 'dynamic "taints"'))
    assert any("unknown nested block 'taints'" in f for f in found)


def test_block_written_as_argument_is_reported(tmp_path):
    found = problems(tmp_path, VALID.replace("timeouts {", "timeouts = {"))
    assert any("'timeouts' is a block" in f for f in found)


def test_unknown_provider_prefix_is_reported(tmp_path):
    found = problems(tmp_path, 'resource "acme_widget" "w" {\n  size = 1\n}\n')
    assert found == ['1: resource "acme_widget" "w": unknown resource type \'acme_widget\'']


def test_google_schema_is_checked_too(tmp_path):
    hcl = """
        resource "google_storage_bucket" "data" {
          name     = "b"
          location = "EU"
          versioning {
            enabled = true
          }
          uniform_bucket_level_acces = true
        }
    """
    assert problems(tmp_path, hcl) == [
        '8: resource "google_storage_bucket" "data": unknown argument \'uniform_bucket_level_acces\''
    ]


@pytest.mark.parametrize("provider", ["aws", "google"])
def test_schema_is_extracted_from_the_pinned_wheel(provider):
    compact = schema(provider)
    assert compact["provider"]["wheel"] == f"{PROVIDERS[provider].wheel}=={PROVIDERS[provider].version}"
    assert len(compact["resources"]) > 1000 and len(compact["data_sources"]) > 400
    bucket = compact["resources"]["aws_s3_bucket" if provider == "aws" else "google_storage_bucket"]
    assert bucket["args"].get("bucket" if provider == "aws" else "name") is not None


# ─── terraform fmt, checkov, the skip file ───────────────────────────────────
def tf_project(tmp_path: Path, hcl: str, skips: str = "skip-check:\n") -> Path:
    (tmp_path / "infra" / "terraform" / "aws").mkdir(parents=True)
    (tmp_path / "infra" / "terraform" / "aws" / "main.tf").write_text(textwrap.dedent(hcl).lstrip())
    (tmp_path / ".checkov.yaml").write_text(skips)
    return tmp_path


def test_fmt_checker_reports_unformatted_file_and_line(tmp_path):
    project = tf_project(tmp_path, 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  force_destroy = true\n}\n')
    findings = fmt_check(project, {})
    assert [(f.path, f.line) for f in findings] == [("infra/terraform/aws/main.tf", 1)]
    (project / "infra/terraform/aws/main.tf").write_text(
        'resource "aws_s3_bucket" "b" {\n  bucket        = "x"\n  force_destroy = true\n}\n'
    )
    assert fmt_check(project, {}) == []


def test_skip_file_entries_need_a_reason(tmp_path):
    skips = (
        "skip-check:\n  - CKV_AWS_1  # replication costs more than the data is worth here\n"
        "  - CKV_AWS_2\n  - CKV_AWS_3  # why\n"
    )
    project = tf_project(tmp_path, "", skips)
    found = [(f.line, f.message) for f in skips_have_reasons(project, {})]
    assert found == [(3, "CKV_AWS_2: skipped without a reason"), (4, "CKV_AWS_3: skipped without a reason")]


def test_checkov_reports_failed_check_with_file_and_line(tmp_path):
    project = tf_project(
        tmp_path,
        """
        resource "aws_ecr_repository" "r" {
          name                 = "r"
          image_tag_mutability = "MUTABLE"
        }

        # Clean, so that checkov still scans a resource once the repository's findings are skipped.
        resource "aws_cloudwatch_log_group" "clean" {
          name              = "clean"
          kms_key_id        = "arn:aws:kms:us-east-1:111122223333:key/example"
          retention_in_days = 365
        }
        """,
    )
    findings = checkov_check(project, {})
    assert any(
        f.path == "infra/terraform/aws/main.tf" and f.line == 1 and f.message.startswith("CKV_AWS_51 ")
        for f in findings
    ), findings
    project.joinpath(".checkov.yaml").write_text(
        "skip-check:\n" + "".join(f"  - {f.message.split()[0]}  # planted in a test\n" for f in findings)
    )
    assert checkov_check(project, {}) == []


# ─── The generated Terraform itself ──────────────────────────────────────────
AWS_ANSWER_SETS = [
    {"compute_platform": "kubernetes", "ci_provider": "github", "api_allowed_cidrs": "203.0.113.0/24"},
    {"compute_platform": "vm", "compliance_profile": "hipaa", "ci_provider": "gitlab", "environments": ["dev"]},
    {"compute_platform": "kubernetes", "compliance_profile": "gdpr", "aws_region": "eu-west-1", "use_spot": False},
]


@pytest.fixture(scope="module", params=AWS_ANSWER_SETS, ids=lambda a: "-".join(map(str, a.values())))
def raw_render(request, tmp_path_factory) -> Path:
    """An AWS variant exactly as rendered: copier's tasks (which run terraform fmt) skipped."""
    dst = tmp_path_factory.mktemp("raw") / "project"
    copier.run_copy(str(REPO), dst, data=request.param, defaults=True, unsafe=True, quiet=True, skip_tasks=True)
    return dst


def test_rendered_terraform_is_fmt_clean_before_the_post_copy_hook(raw_render):
    findings = fmt_check(raw_render, {})
    assert not findings, "\n".join(map(str, findings))


def test_every_environment_gets_its_own_root_with_its_own_state_key(raw_render):
    answers = (raw_render / ".copier-answers.yml").read_text()
    environments = re.findall(r"^- (dev|staging|prod)$", answers, flags=re.M)
    roots = sorted(p.name for p in (raw_render / "infra/terraform/aws/envs").iterdir())
    assert roots == sorted(environments)
    for env in environments:
        versions = (raw_render / f"infra/terraform/aws/envs/{env}/versions.tf").read_text()
        assert f'key          = "{env}/terraform.tfstate"' in versions and "use_lockfile = true" in versions
        assert (
            f'environment         = "{env}"'
            in (raw_render / f"infra/terraform/aws/envs/{env}/terraform.tfvars").read_text()
        )


def test_terraform_validate_every_root(raw_render, tmp_path):
    aws = raw_render / "infra" / "terraform" / "aws"
    validate_roots(raw_render, [aws / "bootstrap", *sorted((aws / "envs").iterdir())], {"aws": (6, 69)}, tmp_path)


# ─── Local module calls ──────────────────────────────────────────────────────
def test_module_calls_are_checked_against_the_module_interface(tmp_path):
    from provider_schema import check_files

    module = tmp_path / "modules" / "bucket"
    module.mkdir(parents=True)
    (module / "variables.tf").write_text(
        'variable "name" {\n  type = string\n}\n\nvariable "tags" {\n  type    = map(string)\n  default = {}\n}\n'
    )
    (module / "outputs.tf").write_text('output "arn" {\n  value = "x"\n}\n')
    root = tmp_path / "envs" / "dev"
    root.mkdir(parents=True)
    main = root / "main.tf"
    main.write_text(
        'module "b" {\n  source = "../../modules/bucket"\n  name   = "n"\n}\n\n'
        'output "arn" {\n  value = module.b.arn\n}\n'
    )
    files = sorted(tmp_path.rglob("*.tf"))
    assert check_files(files, root=tmp_path) == []
    main.write_text(
        'module "b" {\n  source = "../../modules/bucket"\n  nme    = "n"\n}\n\n'
        'module "c" {\n  source = "../../modules/buckets"\n}\n\n'
        'output "arn" {\n  value = [module.b.arns, module.d.arn]\n}\n'
    )
    found = [f"{p.line}: {p.message}" for p in check_files(files, root=tmp_path)]
    assert found == [
        "3: module \"b\": ../../modules/bucket has no variable 'nme'",
        "1: module \"b\": missing required variable 'name'",
        '6: module "c": source ../../modules/buckets does not exist',
        "11: module.b.arns: no such output",
        "11: module.d: no module 'd' here",
    ]


def test_provider_blocks_are_checked(tmp_path):
    hcl = """
        provider "aws" {
          region = "eu-west-1"
          alias  = "eu"

          default_tags {
            tags = { Project = "p" }
          }
        }
    """
    assert problems(tmp_path, hcl) == []
    found = problems(tmp_path, hcl.replace("default_tags {", "default_tag {"))
    assert found == ["6: provider \"aws\": unknown nested block 'default_tag'"]
