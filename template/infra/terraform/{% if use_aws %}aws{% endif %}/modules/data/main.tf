# The ML data plane: a customer-managed KMS key (rotated) of its own, the DVC remote bucket
# (<project>-<env>-dvc, the name .dvc/config points at), the model artefacts bucket, and the
# access log bucket both of them log to. Raw and intermediate data expire after
# data_retention_days; replaced versions after noncurrent_version_retention_days.

module "key" {
  source = "../kms"

  name        = "${var.name}-data"
  description = "${var.name}: DVC data and model artefacts"
  tags        = var.tags
}

module "access_logs" {
  source = "../s3_bucket"

  name                              = "${var.name}-access-logs"
  access_log_target                 = true
  noncurrent_version_retention_days = 30
  expiration_days                   = var.access_log_retention_days
  extra_policy_json                 = data.aws_iam_policy_document.log_delivery.json
  tags                              = var.tags
}

module "dvc" {
  source = "../s3_bucket"

  name                              = "${var.name}-dvc"
  kms_key_arn                       = module.key.key_arn
  kms_key_aliases                   = [module.key.alias_name, module.key.alias_arn]
  access_log_bucket                 = module.access_logs.id
  noncurrent_version_retention_days = var.noncurrent_version_retention_days
  transition_to_ia_days             = var.data_retention_days > 30 ? 30 : null
  expiration_days                   = var.data_retention_days
  tags                              = merge(var.tags, { DataClass = "training-data" })
}

module "models" {
  source = "../s3_bucket"

  name                              = "${var.name}-models"
  kms_key_arn                       = module.key.key_arn
  kms_key_aliases                   = [module.key.alias_name, module.key.alias_arn]
  access_log_bucket                 = module.access_logs.id
  noncurrent_version_retention_days = var.noncurrent_version_retention_days
  # The servers' prediction logs (personal data, pseudonymised) live as long as the training data.
  prefix_expiration_days = { "prediction-logs/" = var.data_retention_days }
  tags                   = merge(var.tags, { DataClass = "model-artefacts" })
}

data "aws_caller_identity" "current" {}

# S3 server access log delivery (the logging service principal), only from this account's buckets.
data "aws_iam_policy_document" "log_delivery" {
  statement {
    sid       = "S3ServerAccessLogDelivery"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::${var.name}-access-logs/s3/*"]

    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}
