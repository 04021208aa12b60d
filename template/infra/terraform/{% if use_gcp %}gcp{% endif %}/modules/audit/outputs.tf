output "services" {
  description = "Services with Data Access audit logs."
  value       = sort([for c in google_project_iam_audit_config.this : c.service])
}
