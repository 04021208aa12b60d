# The image build role: CI jobs of the protected default branch push the training and serving
# images to this project's ECR repositories (<name>-<env>/train, <name>-<env>/serve), and nothing
# else. Pull requests and other branches cannot assume it: an image that reaches a registry was
# built from reviewed code.
#   GitHub: sub repo:<owner>/<name>:ref:refs/heads/<default branch> (a job without an environment);
#   GitLab: sub project_path:<owner>/<name>:ref_type:branch:ref:<default branch>. AWS IAM cannot
#           read GitLab's ref_protected claim: protect the default branch in GitLab (only
#           maintainers merge), so that only reviewed code runs on it.
data "aws_region" "current" {}

locals {
  build_repositories = [
    for env in var.environments :
    "arn:${local.partition}:ecr:${data.aws_region.current.region}:${local.account_id}:repository/${var.name}-${env}/*"
  ]
}

resource "aws_iam_role" "build" {
  name                 = "${var.name}-ci-build"
  description          = "CI image build role of ${local.repository}: push to the project's ECR repositories"
  assume_role_policy   = data.aws_iam_policy_document.trust["default-branch"].json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "build" {
  # GetAuthorizationToken has no resource: it only returns a login token; the statement below
  # decides which repositories that token can push to.
  statement {
    sid       = "RegistryLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushProjectImages"
    actions = [
      "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
      "ecr:DescribeImages",
    ]
    resources = local.build_repositories
  }
}

resource "aws_iam_role_policy" "build" {
  name   = "ecr-push"
  role   = aws_iam_role.build.id
  policy = data.aws_iam_policy_document.build.json
}
