# A multi-region CloudTrail trail with log file validation, encrypted with a customer-managed key,
# delivered to a dedicated bucket (itself versioned, encrypted, access-logged) and to a CloudWatch
# log group; with object_lock_days its files cannot be deleted before then. S3 data events of the listed buckets record every read and write of training data.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  trail_arn  = "arn:${local.partition}:cloudtrail:${local.region}:${local.account_id}:trail/${var.name}"
  bucket_arn = "arn:${local.partition}:s3:::${var.bucket_name}"
}

data "aws_iam_policy_document" "trail_delivery" {
  statement {
    sid       = "CloudTrailAclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = [local.bucket_arn]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }

  statement {
    sid       = "CloudTrailWrite"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/AWSLogs/${local.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
}

module "bucket" {
  source = "../s3_bucket"

  name                              = var.bucket_name
  kms_key_arn                       = var.kms_key_arn
  access_log_bucket                 = var.access_log_bucket
  noncurrent_version_retention_days = 30
  expiration_days                   = var.retention_days
  object_lock_days                  = var.object_lock_days
  extra_policy_json                 = data.aws_iam_policy_document.trail_delivery.json
  tags                              = var.tags
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = "/aws/cloudtrail/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "trail_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "trail_logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.trail.arn}:*"]
  }
}

resource "aws_iam_role" "trail" {
  name               = "${var.name}-cloudtrail-logs"
  assume_role_policy = data.aws_iam_policy_document.trail_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "trail" {
  name   = "write-trail-logs"
  role   = aws_iam_role.trail.id
  policy = data.aws_iam_policy_document.trail_logs.json
}

resource "aws_sns_topic" "trail" {
  name              = "${var.name}-cloudtrail"
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "CloudTrailPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.trail.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
}

resource "aws_sns_topic_policy" "trail" {
  arn    = aws_sns_topic.trail.arn
  policy = data.aws_iam_policy_document.topic.json
}

resource "aws_cloudtrail" "this" {
  name                          = var.name
  s3_bucket_name                = module.bucket.id
  kms_key_id                    = var.kms_key_arn
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.trail.arn
  sns_topic_name                = aws_sns_topic.trail.name

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    dynamic "data_resource" {
      for_each = length(var.data_event_bucket_arns) > 0 ? [1] : []
      content {
        type   = "AWS::S3::Object"
        values = [for arn in var.data_event_bucket_arns : "${arn}/"]
      }
    }
  }

  tags = var.tags

  depends_on = [module.bucket, aws_sns_topic_policy.trail]
}
