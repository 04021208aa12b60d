output "budget_id" {
  description = "Id of the budget."
  value       = google_billing_budget.this.id
}

output "notification_channels" {
  description = "Ids of the e-mail notification channels."
  value       = [for c in google_monitoring_notification_channel.email : c.id]
}
