# One AWS environment: its key, network, image registry and data buckets, and the GPU compute
# (kubernetes.tf or vm.tf, the one the project was generated with), wired from the modules beside
# this one. Account-wide pieces (state bucket, CI identity, CloudTrail, budget) live in bootstrap/.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  name              = "${var.project_slug}-${var.environment}"
  ci_apply_role_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${var.project_slug}-ci-${var.environment}-apply"
}

module "kms" {
  source = "../kms"

  name                  = local.name
  description           = "${local.name}: logs, Kubernetes secrets, images and volumes"
  allow_cloudwatch_logs = true
  allow_ec2_autoscaling = local.uses_ec2_autoscaling
  tags                  = var.tags
}

module "network" {
  source = "../network"

  name                = local.name
  region              = var.region
  availability_zones  = ["${var.region}a", "${var.region}b"]
  cidr_block          = var.vpc_cidr
  single_nat_gateway  = var.environment != "prod"
  kms_key_arn         = module.kms.key_arn
  log_retention_days  = var.log_retention_days
  private_subnet_tags = local.private_subnet_tags
  tags                = var.tags
}

module "registry" {
  source = "../registry"

  name        = local.name
  kms_key_arn = module.kms.key_arn
  tags        = var.tags
}

module "data" {
  source = "../data"

  name                = local.name
  data_retention_days = var.data_retention_days
  tags                = var.tags
}

# What training and serving may reach: the data and model buckets and their key.
data "aws_iam_policy_document" "train" {
  # The feature store's online tables (feature_store.tf), when the project has one.
  source_policy_documents = local.feature_store_train_policies

  statement {
    sid       = "ListBuckets"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [module.data.dvc_bucket_arn, module.data.models_bucket_arn]
  }

  statement {
    sid       = "ReadWriteObjects"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${module.data.dvc_bucket_arn}/*", "${module.data.models_bucket_arn}/*"]
  }

  statement {
    sid       = "DataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [module.data.kms_key_arn]
  }
}

data "aws_iam_policy_document" "serve" {
  source_policy_documents = local.feature_store_serve_policies

  statement {
    sid       = "ReadModels"
    actions   = ["s3:GetObject"]
    resources = ["${module.data.models_bucket_arn}/*"]
  }

  # The servers ship their rotated prediction logs (serve/log_shipping.py) there, where the drift
  # pipeline reads them: write under prediction-logs/<env>/ only, never read or delete.
  statement {
    sid       = "ShipPredictionLogs"
    actions   = ["s3:PutObject"]
    resources = ["${module.data.models_bucket_arn}/prediction-logs/${var.environment}/*"]
  }

  statement {
    sid       = "DataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [module.data.kms_key_arn]
  }
}
