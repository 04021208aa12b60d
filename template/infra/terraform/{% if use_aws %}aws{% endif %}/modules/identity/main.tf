# Keyless CI: the CI provider's OIDC identity provider, and per environment a plan role and an
# apply role that only this repository's CI jobs can assume with a short-lived token.
#   GitHub: plan <- pull requests (sub repo:<owner>/<name>:pull_request);
#           apply <- jobs of the protected GitHub environment (sub repo:<owner>/<name>:environment:<env>).
#   GitLab: plan <- any branch pipeline of the project; apply <- the protected default branch
#           (GitLab's protected environments then decide who may run the deploy job).
# No IAM user, no access key.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  github     = var.ci_provider == "github"
  issuer     = local.github ? "token.actions.githubusercontent.com" : var.gitlab_host
  audience   = local.github ? "sts.amazonaws.com" : "https://${var.gitlab_host}"
  repository = "${var.repository_owner}/${var.repository_name}"
  plan_subjects = local.github ? ["repo:${local.repository}:pull_request"] : [
    "project_path:${local.repository}:ref_type:branch:ref:*",
  ]
  apply_subjects = {
    for env in var.environments : env => local.github ? ["repo:${local.repository}:environment:${env}"] : [
      "project_path:${local.repository}:ref_type:branch:ref:${var.default_branch}",
    ]
  }
  state_bucket_arn = "arn:${local.partition}:s3:::${var.state_bucket}"
  name_prefix      = "arn:${local.partition}:iam::${local.account_id}"
}

resource "aws_iam_openid_connect_provider" "ci" {
  url            = "https://${local.issuer}"
  client_id_list = [local.audience]
  tags           = var.tags
}

data "aws_iam_policy_document" "trust" {
  for_each = merge(
    { for env in var.environments : "${env}-plan" => local.plan_subjects },
    { for env in var.environments : "${env}-apply" => local.apply_subjects[env] },
  )

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.ci.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = [local.audience]
    }

    condition {
      test     = strcontains(join(",", each.value), "*") ? "StringLike" : "StringEquals"
      variable = "${local.issuer}:sub"
      values   = each.value
    }
  }
}

resource "aws_iam_role" "ci" {
  for_each = data.aws_iam_policy_document.trust

  name                 = "${var.name}-ci-${each.key}"
  description          = "CI ${endswith(each.key, "-plan") ? "plan (read-only)" : "apply"} role of ${local.repository}"
  assume_role_policy   = each.value.json
  max_session_duration = 3600
  tags                 = var.tags
}

# Plan: read everything, write only the state lock files.
resource "aws_iam_role_policy_attachment" "plan_read_only" {
  for_each = toset(var.environments)

  role       = aws_iam_role.ci["${each.value}-plan"].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
}

data "aws_iam_policy_document" "state" {
  for_each = toset(var.environments)

  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]
  }

  statement {
    sid       = "ReadWriteStateAndLock"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.state_bucket_arn}/${each.value}/*"]
  }

  statement {
    sid       = "StateKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [var.state_kms_key_arn]
  }
}

resource "aws_iam_role_policy" "state" {
  for_each = aws_iam_role.ci

  name   = "terraform-state"
  role   = each.value.id
  policy = data.aws_iam_policy_document.state[trimsuffix(trimsuffix(each.key, "-plan"), "-apply")].json
}

# Apply: every service but IAM (PowerUserAccess), plus IAM limited to this project's own roles,
# policies and instance profiles (names start with the project slug).
resource "aws_iam_role_policy_attachment" "apply_power_user" {
  for_each = toset(var.environments)

  role       = aws_iam_role.ci["${each.value}-apply"].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/PowerUserAccess"
}

data "aws_iam_policy_document" "apply_iam" {
  statement {
    sid = "ProjectIamResources"
    actions = [
      "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:TagRole", "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:GetRolePolicy",
      "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
      "iam:PassRole", "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:GetInstanceProfile",
      "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile",
      "iam:ListInstanceProfilesForRole",
    ]
    resources = [
      "${local.name_prefix}:role/${var.name}-*",
      "${local.name_prefix}:instance-profile/${var.name}-*",
    ]
  }

  # The CI roles themselves share the prefix: an environment's apply role must not be able to
  # rewrite any CI role's trust or permissions (e.g. dev granting itself prod).
  statement {
    sid       = "NotTheCiRoles"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = ["${local.name_prefix}:role/${var.name}-ci-*"]
  }
}

resource "aws_iam_role_policy" "apply_iam" {
  for_each = toset(var.environments)

  name   = "project-iam"
  role   = aws_iam_role.ci["${each.value}-apply"].id
  policy = data.aws_iam_policy_document.apply_iam.json
}
