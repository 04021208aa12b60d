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
  # Jobs of the protected default branch without an environment: image builds (build.tf) and the
  # scheduled drift jobs (drift.tf).
  default_branch_subject = local.github ? "repo:${local.repository}:ref:refs/heads/${var.default_branch}" : (
    "project_path:${local.repository}:ref_type:branch:ref:${var.default_branch}"
  )
  # The plan and apply roles of this file, by their name suffix.
  ci_role_subjects = merge(
    { for env in var.environments : "${env}-plan" => local.plan_subjects },
    { for env in var.environments : "${env}-apply" => local.apply_subjects[env] },
  )
  state_bucket_arn = "arn:${local.partition}:s3:::${var.state_bucket}"
  name_prefix      = "arn:${local.partition}:iam::${local.account_id}"
}

resource "aws_iam_openid_connect_provider" "ci" {
  url            = "https://${local.issuer}"
  client_id_list = [local.audience]
  tags           = var.tags
}

# The trust policies of every CI role of this module: the CI provider's tokens for this repository,
# with the `sub` claims of one group. The environment's training and GPU VM roles (train.tf,
# vm_ci.tf) use <env>-apply's, so that the environment's approval rules guard them too; the build
# and drift roles (build.tf, drift.tf) use default-branch's.
data "aws_iam_policy_document" "trust" {
  for_each = merge(local.ci_role_subjects, { "default-branch" = [local.default_branch_subject] })

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
  for_each = local.ci_role_subjects

  name                 = "${var.name}-ci-${each.key}"
  description          = "CI ${endswith(each.key, "-plan") ? "plan (read-only)" : "apply"} role of ${local.repository}"
  assume_role_policy   = data.aws_iam_policy_document.trust[each.key].json
  max_session_duration = 3600
  permissions_boundary = endswith(each.key, "-apply") ? aws_iam_policy.boundary[trimsuffix(each.key, "-apply")].arn : null
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

# Apply: reads everything (Terraform refreshes all it manages), writes only this environment's
# resources. Resources with names are matched by ARN (<project>-<env>-*); EC2 and new KMS keys
# have random ids, so their writes are limited to the project's region here and, by the
# permissions boundary below, kept off every resource tagged for another project or environment.
resource "aws_iam_role_policy_attachment" "apply_read_only" {
  for_each = toset(var.environments)

  role       = aws_iam_role.ci["${each.value}-apply"].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
}

locals {
  # ARN prefixes of one environment's named resources.
  env_arns = {
    for env in var.environments : env => {
      name     = "${var.name}-${env}"
      regional = "${local.partition}:%s:${var.region}:${local.account_id}"
    }
  }
}

data "aws_iam_policy_document" "apply" {
  for_each = toset(var.environments)

  statement {
    sid = "Ec2InProjectRegion"
    actions = [
      "ec2:AllocateAddress", "ec2:ReleaseAddress", "ec2:AssociateAddress", "ec2:DisassociateAddress",
      "ec2:CreateVpc", "ec2:DeleteVpc", "ec2:ModifyVpcAttribute",
      "ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute",
      "ec2:CreateInternetGateway", "ec2:DeleteInternetGateway", "ec2:AttachInternetGateway", "ec2:DetachInternetGateway",
      "ec2:CreateNatGateway", "ec2:DeleteNatGateway",
      "ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute",
      "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable",
      "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup",
      "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
      "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
      "ec2:ModifySecurityGroupRules", "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
      "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
      "ec2:CreateVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:ModifyVpcEndpoint",
      "ec2:CreateFlowLogs", "ec2:DeleteFlowLogs",
      "ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:DeleteLaunchTemplate",
      "ec2:ModifyLaunchTemplate",
      "ec2:RunInstances", "ec2:TerminateInstances", "ec2:StartInstances", "ec2:StopInstances",
      "ec2:ModifyInstanceAttribute", "ec2:ModifyInstanceMetadataOptions",
      "ec2:CreateTags", "ec2:DeleteTags",
    ]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [var.region]
    }
  }

  statement {
    sid       = "NewKmsKeysTagged"
    actions   = ["kms:CreateKey", "kms:TagResource"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [each.value]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Project"
      values   = [var.name]
    }
  }

  statement {
    sid = "KmsKeysOfTheEnvironment"
    actions = [
      "kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias", "kms:EnableKeyRotation", "kms:DisableKeyRotation",
      "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:TagResource",
      "kms:UntagResource", "kms:UpdateKeyDescription", "kms:CreateGrant", "kms:Encrypt", "kms:Decrypt",
      "kms:GenerateDataKey",
    ]
    resources = ["arn:${format(local.env_arns[each.value].regional, "kms")}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.value]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Project"
      values   = [var.name]
    }
  }

  statement {
    sid       = "KmsAliasesOfTheEnvironment"
    actions   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = ["arn:${format(local.env_arns[each.value].regional, "kms")}:alias/${local.env_arns[each.value].name}*"]
  }

  statement {
    sid = "BucketsOfTheEnvironment"
    actions = [
      "s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketVersioning",
      "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration", "s3:PutBucketLogging",
      "s3:PutBucketNotification", "s3:PutBucketOwnershipControls", "s3:PutBucketPublicAccessBlock",
      "s3:PutBucketTagging", "s3:PutBucketObjectLockConfiguration", "s3:PutObject", "s3:DeleteObject",
      "s3:DeleteObjectVersion",
    ]
    resources = [
      "arn:${local.partition}:s3:::${local.env_arns[each.value].name}-*",
      "arn:${local.partition}:s3:::${local.env_arns[each.value].name}-*/*",
    ]
  }

  statement {
    sid = "RegistryOfTheEnvironment"
    actions = [
      "ecr:CreateRepository", "ecr:DeleteRepository", "ecr:PutLifecyclePolicy", "ecr:DeleteLifecyclePolicy",
      "ecr:PutImageScanningConfiguration", "ecr:PutImageTagMutability", "ecr:SetRepositoryPolicy",
      "ecr:DeleteRepositoryPolicy", "ecr:TagResource", "ecr:UntagResource",
    ]
    resources = ["arn:${format(local.env_arns[each.value].regional, "ecr")}:repository/${local.env_arns[each.value].name}/*"]
  }

  # EKS (compute_platform = kubernetes).
  dynamic "statement" {
    for_each = var.compute_platform == "kubernetes" ? [1] : []
    content {
      sid = "ClusterOfTheEnvironment"
      actions = [
        "eks:CreateCluster", "eks:DeleteCluster", "eks:UpdateClusterConfig", "eks:UpdateClusterVersion",
        "eks:CreateNodegroup", "eks:DeleteNodegroup", "eks:UpdateNodegroupConfig", "eks:UpdateNodegroupVersion",
        "eks:CreateAddon", "eks:DeleteAddon", "eks:UpdateAddon", "eks:CreateAccessEntry", "eks:DeleteAccessEntry",
        "eks:UpdateAccessEntry", "eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy",
        "eks:CreatePodIdentityAssociation", "eks:DeletePodIdentityAssociation", "eks:UpdatePodIdentityAssociation",
        "eks:TagResource", "eks:UntagResource",
      ]
      resources = [
        "arn:${format(local.env_arns[each.value].regional, "eks")}:cluster/${local.env_arns[each.value].name}",
        "arn:${format(local.env_arns[each.value].regional, "eks")}:*/${local.env_arns[each.value].name}/*",
      ]
    }
  }

  statement {
    sid = "LogsOfTheEnvironment"
    actions = [
      "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy",
      "logs:AssociateKmsKey", "logs:DisassociateKmsKey", "logs:TagResource", "logs:UntagResource",
      "logs:TagLogGroup", "logs:UntagLogGroup",
    ]
    resources = ["arn:${format(local.env_arns[each.value].regional, "logs")}:log-group:/aws/*/${local.env_arns[each.value].name}/*"]
  }

  # The GPU VM's stop schedule (compute_platform = vm).
  dynamic "statement" {
    for_each = var.compute_platform == "vm" ? [1] : []
    content {
      sid = "SchedulesOfTheEnvironment"
      actions = [
        "scheduler:CreateSchedule", "scheduler:DeleteSchedule", "scheduler:UpdateSchedule",
        "scheduler:TagResource", "scheduler:UntagResource",
      ]
      resources = ["arn:${format(local.env_arns[each.value].regional, "scheduler")}:schedule/default/${local.env_arns[each.value].name}-*"]
    }
  }

  # Alarms (modules/stack/monitoring*.tf) and the topic they publish to, by name. The read actions
  # are here too: the boundary admits only this document's actions, and `terraform plan` refreshes.
  statement {
    sid = "AlarmsOfTheEnvironment"
    actions = [
      "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource",
      "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource",
    ]
    resources = ["arn:${format(local.env_arns[each.value].regional, "cloudwatch")}:alarm:${local.env_arns[each.value].name}-*"]
  }

  statement {
    sid = "AlarmTopicOfTheEnvironment"
    actions = [
      "sns:CreateTopic", "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:GetTopicAttributes", "sns:Subscribe",
      "sns:Unsubscribe", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:TagResource",
      "sns:UntagResource", "sns:ListTagsForResource", "sns:ListSubscriptionsByTopic",
    ]
    resources = ["arn:${format(local.env_arns[each.value].regional, "sns")}:${local.env_arns[each.value].name}-*"]
  }

  # The prediction-log key's secret (modules/secret): the secret, never its value.
  statement {
    sid = "SecretsOfTheEnvironment"
    actions = [
      "secretsmanager:CreateSecret", "secretsmanager:DeleteSecret", "secretsmanager:UpdateSecret",
      "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:PutResourcePolicy",
      "secretsmanager:DeleteResourcePolicy", "secretsmanager:TagResource", "secretsmanager:UntagResource",
    ]
    resources = ["arn:${format(local.env_arns[each.value].regional, "secretsmanager")}:secret:${local.env_arns[each.value].name}-*"]
  }

  # Feast's online tables (feature_store = feast): <project>-<env>.<view>.
  dynamic "statement" {
    for_each = var.feature_store == "feast" ? [1] : []
    content {
      sid = "FeatureTablesOfTheEnvironment"
      actions = [
        "dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:UpdateTable", "dynamodb:DescribeTable",
        "dynamodb:DescribeContinuousBackups", "dynamodb:UpdateContinuousBackups", "dynamodb:DescribeTimeToLive",
        "dynamodb:TagResource", "dynamodb:UntagResource", "dynamodb:ListTagsOfResource",
      ]
      resources = ["arn:${format(local.env_arns[each.value].regional, "dynamodb")}:table/${local.env_arns[each.value].name}.*"]
    }
  }

  # EMR Serverless applications have generated ids: created only with the environment's tags, and
  # changed only where they carry them (data_engine = spark).
  dynamic "statement" {
    for_each = var.data_engine == "spark" ? [1] : []
    content {
      sid       = "NewSparkApplicationsTagged"
      actions   = ["emr-serverless:CreateApplication", "emr-serverless:TagResource"]
      resources = ["arn:${format(local.env_arns[each.value].regional, "emr-serverless")}:/applications/*"]

      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/Environment"
        values   = [each.value]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/Project"
        values   = [var.name]
      }
    }
  }

  dynamic "statement" {
    for_each = var.data_engine == "spark" ? [1] : []
    content {
      sid = "SparkApplicationsOfTheEnvironment"
      actions = [
        "emr-serverless:UpdateApplication", "emr-serverless:DeleteApplication", "emr-serverless:StopApplication",
        "emr-serverless:GetApplication", "emr-serverless:ListTagsForResource", "emr-serverless:TagResource",
        "emr-serverless:UntagResource",
      ]
      resources = ["arn:${format(local.env_arns[each.value].regional, "emr-serverless")}:/applications/*"]

      condition {
        test     = "StringEquals"
        variable = "aws:ResourceTag/Environment"
        values   = [each.value]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:ResourceTag/Project"
        values   = [var.name]
      }
    }
  }

  statement {
    sid = "IamOfTheEnvironment"
    actions = [
      "iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:TagRole", "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy",
      "iam:DetachRolePolicy", "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile",
      "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile",
      "iam:UntagInstanceProfile",
    ]
    resources = [
      "${local.name_prefix}:role/${local.env_arns[each.value].name}-*",
      "${local.name_prefix}:instance-profile/${local.env_arns[each.value].name}-*",
    ]
  }

  # Roles of the environment, handed only to the AWS services that run them.
  statement {
    sid       = "PassRolesOfTheEnvironment"
    actions   = ["iam:PassRole"]
    resources = ["${local.name_prefix}:role/${local.env_arns[each.value].name}-*"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values = [
        "eks.amazonaws.com", "ec2.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com",
        "scheduler.amazonaws.com",
      ]
    }
  }

  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["${local.name_prefix}:role/aws-service-role/*"]

    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["eks.amazonaws.com", "eks-nodegroup.amazonaws.com", "autoscaling.amazonaws.com", "spot.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "apply" {
  for_each = toset(var.environments)

  name   = "environment-resources"
  role   = aws_iam_role.ci["${each.value}-apply"].id
  policy = data.aws_iam_policy_document.apply[each.value].json
}

# The permissions boundary of the apply roles: the most they can ever do, whatever policy is
# attached to them later (an AdministratorAccess attached by hand still cannot exceed it): the
# environment's writes and the refresh reads, and never IAM users or keys, a change to any CI role
# or boundary, another region, or a resource tagged for another project or environment.
data "aws_iam_policy_document" "boundary" {
  for_each = toset(var.environments)

  # At most the environment's own writes and state, and the reads that `terraform plan` refreshes.
  source_policy_documents = [
    data.aws_iam_policy_document.apply[each.value].json,
    data.aws_iam_policy_document.state[each.value].json,
  ]

  statement {
    sid = "ListForRefresh"
    actions = [
      "ec2:Describe*", "eks:ListClusters", "kms:ListAliases", "kms:ListKeys", "s3:ListAllMyBuckets",
      "ecr:DescribeRegistry", "logs:DescribeLogGroups", "iam:ListRoles", "iam:ListPolicies",
      "sts:GetCallerIdentity",
    ]
    resources = ["*"]
  }

  statement {
    sid = "ReadForRefresh"
    actions = [
      "ec2:GetLaunchTemplateData", "eks:Describe*", "eks:List*", "kms:Describe*", "kms:Get*", "kms:ListResourceTags",
      "s3:GetBucket*", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration", "s3:GetAccelerateConfiguration", "s3:ListBucket", "ecr:Describe*",
      "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource", "logs:ListTagsForResource",
      "logs:ListTagsLogGroup", "iam:GetRole", "iam:GetRolePolicy", "iam:GetInstanceProfile", "iam:GetPolicy",
      "iam:GetPolicyVersion", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole", "iam:ListRoleTags", "iam:GetOpenIDConnectProvider",
      "scheduler:GetSchedule", "scheduler:ListTagsForResource",
    ]
    resources = [
      "arn:${format(local.env_arns[each.value].regional, "ec2")}:*",
      "arn:${format(local.env_arns[each.value].regional, "eks")}:*",
      "arn:${format(local.env_arns[each.value].regional, "kms")}:*",
      "arn:${format(local.env_arns[each.value].regional, "ecr")}:*",
      "arn:${format(local.env_arns[each.value].regional, "logs")}:*",
      "arn:${format(local.env_arns[each.value].regional, "scheduler")}:*",
      "arn:${local.partition}:s3:::${local.env_arns[each.value].name}-*",
      "${local.name_prefix}:*",
    ]
  }

  # The AMI ids the GPU VM and node groups look up: AWS's public parameters only.
  statement {
    sid       = "PublicAmiParameters"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:${local.partition}:ssm:${var.region}::parameter/aws/service/*"]
  }

  statement {
    sid    = "NoIamEscalation"
    effect = "Deny"
    actions = [
      "iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
      "iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:AddUserToGroup", "iam:AttachGroupPolicy",
      "iam:PutGroupPolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion",
      "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary", "iam:CreateOpenIDConnectProvider",
      "iam:UpdateOpenIDConnectProviderThumbprint", "iam:CreateSAMLProvider", "iam:UpdateSAMLProvider",
      "organizations:*", "account:*", "sts:AssumeRole",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "NoChangeToCiRolesOrBoundaries"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = ["${local.name_prefix}:role/${var.name}-ci-*", "${local.name_prefix}:policy/${var.name}-ci-*"]
  }

  # Only policies written in this repository: no AWS managed administrator policy can be attached.
  statement {
    sid       = "NoManagedAdminPolicies"
    effect    = "Deny"
    actions   = ["iam:AttachRolePolicy"]
    resources = ["*"]

    condition {
      test     = "ArnLike"
      variable = "iam:PolicyARN"
      values = [
        "arn:${local.partition}:iam::aws:policy/AdministratorAccess",
        "arn:${local.partition}:iam::aws:policy/PowerUserAccess",
        "arn:${local.partition}:iam::aws:policy/IAMFullAccess",
      ]
    }
  }

  statement {
    sid         = "OnlyTheProjectRegion"
    effect      = "Deny"
    not_actions = ["iam:*", "sts:*", "s3:*", "cloudfront:*", "route53:*", "support:*", "budgets:*"]
    resources   = ["*"]

    condition {
      test     = "StringNotEquals"
      variable = "aws:RequestedRegion"
      values   = [var.region]
    }
  }

  statement {
    sid       = "NotOtherProjects"
    effect    = "Deny"
    actions   = ["ec2:*", "eks:*", "kms:*", "logs:*", "ecr:*", "s3:*", "scheduler:*", "iam:*"]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/Project"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:ResourceTag/Project"
      values   = [var.name]
    }
  }

  statement {
    sid       = "NotOtherEnvironments"
    effect    = "Deny"
    actions   = ["ec2:*", "eks:*", "kms:*", "logs:*", "ecr:*", "s3:*", "scheduler:*", "iam:*"]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/Environment"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.value]
    }
  }
}

resource "aws_iam_policy" "boundary" {
  for_each = toset(var.environments)

  name        = "${var.name}-ci-${each.value}-apply-boundary"
  description = "Permissions boundary of the CI apply role of ${each.value}"
  policy      = data.aws_iam_policy_document.boundary[each.value].json
  tags        = var.tags
}
