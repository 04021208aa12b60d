output "email" {
  description = "Email of the service account."
  value       = data.google_service_account.this.email
}

output "member" {
  description = "IAM member string: serviceAccount:<email>."
  value       = "serviceAccount:${data.google_service_account.this.email}"
}

output "name" {
  description = "Fully qualified name of the service account."
  value       = data.google_service_account.this.name
}
