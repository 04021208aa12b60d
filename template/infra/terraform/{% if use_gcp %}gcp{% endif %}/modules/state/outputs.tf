output "bucket" {
  description = "Name of the state bucket."
  value       = google_storage_bucket.state.name
}

output "access_logs_bucket" {
  description = "Name of the state bucket's access-log bucket."
  value       = module.access_logs.name
}
