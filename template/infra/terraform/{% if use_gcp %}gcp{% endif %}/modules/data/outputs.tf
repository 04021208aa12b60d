output "dvc_bucket" {
  description = "Name of the DVC remote bucket."
  value       = google_storage_bucket.this["dvc"].name
}

output "dvc_remote_url" {
  description = "DVC remote URL (dvc remote add -d storage <url>)."
  value       = "gs://${google_storage_bucket.this["dvc"].name}"
}

output "models_bucket" {
  description = "Name of the models bucket."
  value       = google_storage_bucket.this["models"].name
}

output "access_logs_bucket" {
  description = "Name of the access-log bucket."
  value       = google_storage_bucket.access_logs.name
}
