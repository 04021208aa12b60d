# A customer-managed KMS key (rotated yearly) for one purpose, with a key policy that lets the
# account administer it and only the named AWS services use it, each scoped to this account.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
}

# A key policy, written as JSON: in a key policy, Resource "*" means "this key" (it is not an
# identity policy; IAM policy scanners would misread it).
locals {
  root_statement = {
    Sid       = "AccountAdministration"
    Effect    = "Allow"
    Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
    Action    = "kms:*"
    Resource  = "*"
  }
  logs_statement = {
    Sid       = "CloudWatchLogs"
    Effect    = "Allow"
    Principal = { Service = "logs.${local.region}.amazonaws.com" }
    # The actions of the CloudWatch Logs documentation's key policy, spelled out (no wildcards).
    Action = [
      "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey",
    ]
    Resource = "*"
    Condition = {
      ArnLike = { "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*" }
    }
  }
  cloudtrail_statements = [
    {
      Sid       = "CloudTrailEncrypt"
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "kms:GenerateDataKey"
      Resource  = "*"
      Condition = {
        StringLike   = { "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:${local.partition}:cloudtrail:*:${local.account_id}:trail/*" }
        StringEquals = { "aws:SourceAccount" = local.account_id }
      }
    },
    {
      # DescribeKey for the trail; data keys for the trail's encrypted SNS topic.
      Sid       = "CloudTrailDescribeAndTopic"
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"]
      Resource  = "*"
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
      }
    },
  ]
  # CloudWatch alarms and EventBridge rules publish to an SNS topic encrypted with the key.
  alarms_statement = {
    Sid       = "CloudWatchAlarmsAndEvents"
    Effect    = "Allow"
    Principal = { Service = ["cloudwatch.amazonaws.com", "events.amazonaws.com"] }
    Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
    Resource  = "*"
    Condition = {
      StringEquals = { "aws:SourceAccount" = local.account_id }
    }
  }
  # EC2 Auto Scaling (EKS managed node groups) launches instances whose EBS volumes use the key:
  # its service-linked role needs the key policy's leave (the AWS EBS documentation's statements),
  # only through EC2 in this region.
  autoscaling_principal = "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
  autoscaling_statements = [
    {
      Sid       = "AutoScalingVolumes"
      Effect    = "Allow"
      Principal = { AWS = local.autoscaling_principal }
      Action = [
        "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey",
      ]
      Resource  = "*"
      Condition = { StringEquals = { "kms:ViaService" = "ec2.${local.region}.amazonaws.com" } }
    },
    {
      Sid       = "AutoScalingVolumeGrants"
      Effect    = "Allow"
      Principal = { AWS = local.autoscaling_principal }
      Action    = "kms:CreateGrant"
      Resource  = "*"
      Condition = {
        Bool         = { "kms:GrantIsForAWSResource" = true }
        StringEquals = { "kms:ViaService" = "ec2.${local.region}.amazonaws.com" }
      }
    },
  ]
  key_policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [local.root_statement],
      [for statement in [local.logs_statement] : statement if var.allow_cloudwatch_logs],
      [for statement in local.cloudtrail_statements : statement if var.allow_cloudtrail],
      [for statement in [local.alarms_statement] : statement if var.allow_cloudwatch_alarms],
      [for statement in local.autoscaling_statements : statement if var.allow_ec2_autoscaling],
    )
  })
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  rotation_period_in_days = var.rotation_period_in_days
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = local.key_policy
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}
