# The humans' roles, per environment: data scientist, ML engineer, platform engineer and the
# platform engineers' break-glass role, assumed through the organisation's identity provider. What
# each may do comes from the access matrix (policies/access-matrix.yml, passed in as `grants`):
# this module only turns its levels into IAM actions on the environment's named resources.
# The roles live under the IAM path /humans/, out of reach of the CI apply roles (<project>-<env>-*).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  regional   = "${local.partition}:%s:${var.region}:${local.account_id}"
  saml       = var.saml_provider_arn != ""

  # Role id of the matrix -> IAM role name suffix (names stay under 64 characters).
  suffixes = {
    data_scientist    = "data-scientist"
    ml_engineer       = "ml-engineer"
    platform_engineer = "platform"
    break_glass       = "break-glass"
  }

  roles = merge([
    for env in var.environments : {
      for role, suffix in local.suffixes : "${env}/${role}" => { env = env, role = role, suffix = suffix }
    }
  ]...)

  # Matrix resource -> the IAM actions of each level (each level includes the one before).
  s3_read  = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"]
  s3_write = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
  actions = {
    dvc_remote          = { read = local.s3_read, write = local.s3_write }
    models              = { read = local.s3_read, write = local.s3_write }
    experiment_tracking = { read = local.s3_read, write = local.s3_write }
    terraform_state     = { read = local.s3_read, write = local.s3_write }
    registry = {
      read  = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:DescribeImages", "ecr:ListImages"]
      write = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:DescribeImages", "ecr:ListImages", "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"]
    }
    logs = {
      read  = ["logs:GetLogEvents", "logs:FilterLogEvents", "logs:DescribeLogStreams"]
      write = ["logs:GetLogEvents", "logs:FilterLogEvents", "logs:DescribeLogStreams"]
    }
    compute = {
      read  = ["eks:DescribeCluster", "eks:ListNodegroups", "eks:DescribeNodegroup", "eks:ListAddons"]
      write = ["eks:DescribeCluster", "eks:ListNodegroups", "eks:DescribeNodegroup", "eks:ListAddons", "eks:AccessKubernetesApi"]
    }
  }

  # Matrix resource -> ARNs in one environment.
  resources = {
    for env in var.environments : env => {
      dvc_remote          = ["arn:${local.partition}:s3:::${var.name}-${env}-dvc", "arn:${local.partition}:s3:::${var.name}-${env}-dvc/*"]
      models              = ["arn:${local.partition}:s3:::${var.name}-${env}-models", "arn:${local.partition}:s3:::${var.name}-${env}-models/*"]
      experiment_tracking = ["arn:${local.partition}:s3:::${var.name}-${env}-models", "arn:${local.partition}:s3:::${var.name}-${env}-models/mlflow/*"]
      terraform_state     = ["arn:${local.partition}:s3:::${var.state_bucket}", "arn:${local.partition}:s3:::${var.state_bucket}/${env}/*"]
      registry            = ["arn:${format(local.regional, "ecr")}:repository/${var.name}-${env}/*"]
      logs                = ["arn:${format(local.regional, "logs")}:log-group:/aws/*/${var.name}-${env}/*"]
      compute = [
        "arn:${format(local.regional, "eks")}:cluster/${var.name}-${env}",
        "arn:${format(local.regional, "eks")}:*/${var.name}-${env}/*",
      ]
    }
  }
}

# Who may assume the roles: IAM Identity Center users whose permission set has the role's name
# (the default), or the organisation's SAML identity provider when saml_provider_arn is set.
data "aws_iam_policy_document" "trust" {
  for_each = local.roles

  statement {
    actions = local.saml ? ["sts:AssumeRoleWithSAML", "sts:TagSession"] : ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = local.saml ? "Federated" : "AWS"
      identifiers = [local.saml ? var.saml_provider_arn : "arn:${local.partition}:iam::${local.account_id}:root"]
    }

    condition {
      test     = local.saml ? "StringEquals" : "ArnLike"
      variable = local.saml ? "SAML:aud" : "aws:PrincipalArn"
      values = local.saml ? ["https://signin.aws.amazon.com/saml"] : [
        "arn:${local.partition}:iam::${local.account_id}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_${var.permission_sets[each.value.role]}_*",
      ]
    }
  }
}

resource "aws_iam_role" "human" {
  for_each = local.roles

  name                 = "${var.name}-${each.value.env}-${each.value.suffix}"
  path                 = "/humans/"
  description          = "${each.value.role} in ${each.value.env} (access matrix of ${var.name})"
  assume_role_policy   = data.aws_iam_policy_document.trust[each.key].json
  max_session_duration = each.value.role == "break_glass" ? 3600 : 43200
  permissions_boundary = each.value.role == "break_glass" ? var.break_glass_boundary_arns[each.value.env] : null
  tags                 = merge(var.tags, { Environment = each.value.env, AccessRole = each.value.role })
}

# Everyone but break-glass: the matrix's levels, as statements on the environment's resources.
data "aws_iam_policy_document" "grants" {
  for_each = { for key, role in local.roles : key => role if role.role != "break_glass" }

  dynamic "statement" {
    for_each = {
      for resource, level in var.grants[each.value.env][each.value.role] : resource => level
      if contains(keys(local.actions), resource) && contains(["read", "write"], level)
    }

    content {
      sid       = replace(title(replace(statement.key, "_", " ")), " ", "")
      actions   = local.actions[statement.key][statement.value]
      resources = local.resources[each.value.env][statement.key]
    }
  }

  # The data key, only through S3 (kms:ViaService): decrypt to read, and data keys to write.
  statement {
    sid       = "DataKeyThroughS3"
    actions   = var.grants[each.value.env][each.value.role]["kms_keys"] == "write" ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"]
    resources = ["arn:${format(local.regional, "kms")}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.value.env]
    }
  }

  # Session Manager shells on the environment's GPU VM, for those who may change the compute.
  dynamic "statement" {
    for_each = var.grants[each.value.env][each.value.role]["compute"] == "write" ? ["write"] : []

    content {
      sid       = "SessionsOnTheEnvironmentsInstances"
      actions   = ["ssm:StartSession"]
      resources = ["arn:${format(local.regional, "ec2")}:instance/*"]

      condition {
        test     = "StringEquals"
        variable = "aws:ResourceTag/Environment"
        values   = [each.value.env]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:ResourceTag/Project"
        values   = [var.name]
      }
    }
  }

  statement {
    sid       = "RegistryLogin"
    actions   = ["ecr:GetAuthorizationToken", "sts:GetCallerIdentity"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "grants" {
  for_each = data.aws_iam_policy_document.grants

  name   = "access-matrix"
  role   = aws_iam_role.human[each.key].id
  policy = each.value.json
}

# Break-glass: what the environment's CI apply role may do, by hand, under the same boundary.
resource "aws_iam_role_policy" "break_glass" {
  for_each = toset(var.environments)

  name   = "break-glass"
  role   = aws_iam_role.human["${each.value}/break_glass"].id
  policy = var.break_glass_policy_json[each.value]
}

resource "aws_iam_role_policy_attachment" "break_glass_read_only" {
  for_each = toset(var.environments)

  role       = aws_iam_role.human["${each.value}/break_glass"].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
}
