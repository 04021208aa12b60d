# Account-wide pieces, applied once per AWS account by an administrator before any environment:
# the Terraform state bucket (S3-native locking, KMS, versioned), the CI identity (OIDC provider,
# per-environment plan and apply roles), the CloudTrail trail and the monthly budget.

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  tags = {
    Project            = var.project_slug
    Environment        = "shared" # the bootstrap serves every environment
    Owner              = var.owner
    CostCenter         = var.cost_center
    DataClassification = var.data_classification
    ManagedBy          = "terraform"
    Scope              = "account"
  }
}

module "kms" {
  source = "../modules/kms"

  name                  = "${var.project_slug}-account"
  description           = "${var.project_slug}: Terraform state, CloudTrail and account logs"
  allow_cloudwatch_logs = true
  allow_cloudtrail      = true
  tags                  = local.tags
}

module "access_logs" {
  source = "../modules/s3_bucket"

  name              = "${var.project_slug}-logs-${local.account_id}"
  access_log_target = true
  expiration_days   = var.audit_retention_days
  extra_policy_json = data.aws_iam_policy_document.log_delivery.json
  tags              = local.tags
}

data "aws_iam_policy_document" "log_delivery" {
  statement {
    sid       = "S3ServerAccessLogDelivery"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::${var.project_slug}-logs-${local.account_id}/s3/*"]

    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

module "state" {
  source = "../modules/s3_bucket"

  name                              = var.state_bucket
  kms_key_arn                       = module.kms.key_arn
  access_log_bucket                 = module.access_logs.id
  noncurrent_version_retention_days = 90
  tags                              = merge(local.tags, { Purpose = "terraform-state" })
}

module "identity" {
  source = "../modules/identity"

  name              = var.project_slug
  region            = var.region
  ci_provider       = var.ci_provider
  repository_owner  = var.repository_owner
  repository_name   = var.repository_name
  environments      = var.environments
  state_bucket      = module.state.id
  state_kms_key_arn = module.kms.key_arn
  tags              = local.tags
  # The apply roles manage what the environments declare, nothing else.
  compute_platform = var.compute_platform
  feature_store    = var.feature_store
  data_engine      = var.data_engine
}

# The humans' roles per environment, from the access matrix (policies/access-matrix.yml).
module "human_access" {
  source = "../modules/human_access"

  name                      = var.project_slug
  region                    = var.region
  environments              = var.environments
  state_bucket              = var.state_bucket # the name: no dependency on the bucket
  grants                    = var.access_grants
  saml_provider_arn         = var.saml_provider_arn
  break_glass_policy_json   = module.identity.apply_policy_json
  break_glass_boundary_arns = module.identity.apply_boundary_arns
  tags                      = local.tags
}

module "audit" {
  source = "../modules/audit"

  name               = var.project_slug
  bucket_name        = "${var.project_slug}-trail-${local.account_id}"
  kms_key_arn        = module.kms.key_arn
  access_log_bucket  = module.access_logs.id
  retention_days     = var.audit_retention_days
  object_lock_days   = var.audit_object_lock_days
  log_retention_days = var.log_retention_days
  tags               = local.tags
}

module "budget" {
  source = "../modules/budget"

  name                = var.project_slug
  monthly_budget_usd  = var.monthly_budget_usd
  alert_emails        = var.budget_alert_emails
  cost_allocation_tag = { key = "Project", value = var.project_slug }
  tags                = local.tags
}
