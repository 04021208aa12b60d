output "dvc_bucket" {
  description = "Name of the DVC remote bucket."
  value       = module.buckets["dvc"].name
}

output "dvc_remote_url" {
  description = "DVC remote URL (dvc remote add -d storage <url>)."
  value       = "gs://${module.buckets["dvc"].name}"
}

output "models_bucket" {
  description = "Name of the models bucket."
  value       = module.buckets["models"].name
}

output "access_logs_bucket" {
  description = "Name of the access-log bucket."
  value       = module.access_logs.name
}
