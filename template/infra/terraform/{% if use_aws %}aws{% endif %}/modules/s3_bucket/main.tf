# One S3 bucket with the controls every bucket of this project has: versioning, default encryption
# with a customer-managed KMS key, all public access blocked, objects owned by the bucket owner,
# a policy that denies plain HTTP and uploads encrypted with anything but the bucket's key,
# server access logging to the log bucket, and lifecycle rules.
#
# A server access log bucket (`access_log_target = true`) is the one exception, because of how S3
# delivers access logs: logs can only be delivered to SSE-S3 (AES256) buckets, and a log bucket
# must not log to itself (an endless loop). Reads and writes of its objects are still recorded by
# the CloudTrail trail (module audit).

locals {
  kms = !var.access_log_target
}

resource "aws_s3_bucket" "this" {
  bucket        = var.name
  force_destroy = var.force_destroy
  tags          = merge(var.tags, { Name = var.name, AccessLogTarget = tostring(var.access_log_target) })
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

# Write once, read many: in COMPLIANCE mode no one, the account root included, can delete or
# overwrite an object version before its retention ends (HIPAA's 6 years of audit records).
# This resource enables Object Lock on the (versioned) bucket, new or existing, without replacing it.
resource "aws_s3_bucket_object_lock_configuration" "this" {
  count = var.object_lock_days == null ? 0 : 1

  bucket              = aws_s3_bucket.this.id
  object_lock_enabled = "Enabled"

  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = var.object_lock_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = local.kms ? "aws:kms" : "AES256"
      kms_master_key_id = local.kms ? var.kms_key_arn : null
    }
    bucket_key_enabled = local.kms
  }
}

resource "aws_s3_bucket_logging" "this" {
  count = var.access_log_target ? 0 : 1

  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_log_bucket
  target_prefix = "s3/${var.name}/"
}

# Object events go to EventBridge (free to emit): pipelines and audits can react to new data.
resource "aws_s3_bucket_notification" "this" {
  bucket      = aws_s3_bucket.this.id
  eventbridge = true
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "retention"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_retention_days
    }

    dynamic "transition" {
      for_each = var.transition_to_ia_days == null ? [] : [var.transition_to_ia_days]
      content {
        days          = transition.value
        storage_class = "STANDARD_IA"
      }
    }

    dynamic "expiration" {
      for_each = var.expiration_days == null ? [] : [var.expiration_days]
      content {
        days = expiration.value
      }
    }
  }

  # Objects under a prefix with a shorter life (the prediction logs: the data retention).
  dynamic "rule" {
    for_each = var.prefix_expiration_days
    content {
      id     = "expire-${trimsuffix(rule.key, "/")}"
      status = "Enabled"

      filter {
        prefix = rule.key
      }

      expiration {
        days = rule.value
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "this" {
  source_policy_documents = var.extra_policy_json == null ? [] : [var.extra_policy_json]

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

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

  # Uploads without encryption headers get the bucket's default encryption (this key). Uploads
  # that name an encryption must name SSE-KMS, and a key id (if any) must be this key's.
  # (Both conditions of a statement must hold: the header is present AND differs.)
  dynamic "statement" {
    for_each = local.kms ? [1] : []
    content {
      sid       = "DenyUploadsEncryptedOtherThanKms"
      effect    = "Deny"
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.this.arn}/*"]

      principals {
        type        = "*"
        identifiers = ["*"]
      }

      condition {
        test     = "Null"
        variable = "s3:x-amz-server-side-encryption"
        values   = ["false"]
      }

      condition {
        test     = "StringNotEquals"
        variable = "s3:x-amz-server-side-encryption"
        values   = ["aws:kms"]
      }
    }
  }

  dynamic "statement" {
    for_each = local.kms ? [1] : []
    content {
      sid       = "DenyUploadsWithAnotherKey"
      effect    = "Deny"
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.this.arn}/*"]

      principals {
        type        = "*"
        identifiers = ["*"]
      }

      condition {
        test     = "Null"
        variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
        values   = ["false"]
      }

      condition {
        test     = "StringNotEquals"
        variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
        values   = concat([var.kms_key_arn], var.kms_key_aliases)
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.this.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}
