# Alert policies of the environment (monitoring_<platform>.tf defines them): every one notifies
# the answers' alert e-mails through Cloud Monitoring e-mail channels. The monthly budget's
# e-mails are bootstrap/'s. The serving and model alerts are Prometheus rules: monitoring/ and
# docs/runbooks.md.

resource "google_monitoring_notification_channel" "email" {
  for_each = toset(var.alert_emails)

  project      = var.project_id
  display_name = "${local.name} alerts: ${each.value}"
  type         = "email"
  labels       = { email_address = each.value }
  user_labels  = local.labels
}

locals {
  alert_channels = [for channel in google_monitoring_notification_channel.email : channel.id]
}
