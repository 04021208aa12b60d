"""The provider-schema checker catches what `terraform validate` would, offline."""

from __future__ import annotations

import textwrap

import pytest

from provider_schema import PROVIDERS, check_file, schema


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
