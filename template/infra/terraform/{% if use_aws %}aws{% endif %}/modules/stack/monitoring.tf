# Alarms of the environment (monitoring_<platform>.tf defines them): every one notifies the
# answers' alert e-mails through one SNS topic, encrypted with a key of its own whose policy lets
# CloudWatch and EventBridge publish. The monthly budget's e-mails are bootstrap/'s (account-wide).
# The serving and model alerts are Prometheus rules: monitoring/ and docs/runbooks.md.

module "alarm_kms" {
  source = "../kms"

  name                    = "${local.name}-alarms"
  description             = "${local.name}: the alarms' SNS topic"
  allow_cloudwatch_alarms = true
  tags                    = var.tags
}

resource "aws_sns_topic" "alarms" {
  name              = "${local.name}-alarms"
  kms_master_key_id = module.alarm_kms.key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "alarms_topic" {
  statement {
    sid       = "AlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "events.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms_topic.json
}

resource "aws_sns_topic_subscription" "alarm_email" {
  for_each = toset(var.alert_emails)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}
