output "services" {
  description = "Services with Data Access audit logs."
  value       = sort([for c in google_project_iam_audit_config.this : c.service])
}

output "bucket" {
  description = "Name of the bucket that keeps the audit logs."
  value       = google_storage_bucket.logs.name
}

output "sink_writer_identity" {
  description = "Service account of the log sink that writes into the audit log bucket."
  value       = google_logging_project_sink.audit.writer_identity
}
