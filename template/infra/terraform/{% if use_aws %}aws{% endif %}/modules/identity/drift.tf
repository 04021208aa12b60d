# The drift roles: per environment, the scheduled drift pipeline assumes <name>-ci-<env>-drift to
# read that environment's shipped prediction logs (prediction-logs/<env>/ of the models bucket, put
# there by the servers: serve/log_shipping.py) and the training reference in its DVC remote. Read
# only: nothing it runs can change a model, the data or the infrastructure (ADR 0010). The role and
# its permissions live here with the other CI roles, which the environments' apply roles may not
# change. The buckets and the key are named by convention (<name>-<env>-models, <name>-<env>-dvc,
# alias/<name>-<env>-data).
# Trusted from the protected default branch (the schedule runs there), without an environment: a
# scheduled job must not wait for an environment's reviewers, and the role only reads.
#   GitHub: sub repo:<owner>/<name>:ref:refs/heads/<default branch>;
#   GitLab: sub project_path:<owner>/<name>:ref_type:branch:ref:<default branch> (protect it).
resource "aws_iam_role" "drift" {
  for_each = toset(var.environments)

  name                 = "${var.name}-ci-${each.key}-drift"
  description          = "CI drift role of ${local.repository} in ${each.key}: reads the prediction logs and the reference data"
  assume_role_policy   = data.aws_iam_policy_document.trust["default-branch"].json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "drift" {
  for_each = toset(var.environments)

  statement {
    sid       = "ListPredictionLogs"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${local.env_arns[each.value].name}-models"]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["prediction-logs/${each.value}/*"]
    }
  }

  statement {
    sid       = "ReadPredictionLogs"
    actions   = ["s3:GetObject"]
    resources = ["arn:${local.partition}:s3:::${local.env_arns[each.value].name}-models/prediction-logs/${each.value}/*"]
  }

  statement {
    sid       = "ListDvcRemote"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${local.env_arns[each.value].name}-dvc"]
  }

  statement {
    sid       = "ReadDvcRemote"
    actions   = ["s3:GetObject"]
    resources = ["arn:${local.partition}:s3:::${local.env_arns[each.value].name}-dvc/*"]
  }

  # The data key has a generated id: it is named by its alias. Decrypt only.
  statement {
    sid       = "DataKey"
    actions   = ["kms:Decrypt"]
    resources = ["arn:${format(local.env_arns[each.value].regional, "kms")}:key/*"]

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "kms:ResourceAliases"
      values   = ["alias/${local.env_arns[each.value].name}-data"]
    }
  }
}

resource "aws_iam_role_policy" "drift" {
  for_each = data.aws_iam_policy_document.drift

  name   = "drift-${each.key}"
  role   = aws_iam_role.drift[each.key].id
  policy = each.value.json
}
