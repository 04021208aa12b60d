output "dvc_bucket" {
  description = "Name of the DVC remote bucket (s3://<dvc_bucket> in .dvc/config)."
  value       = module.dvc.id
}

output "dvc_bucket_arn" {
  description = "ARN of the DVC remote bucket."
  value       = module.dvc.arn
}

output "models_bucket" {
  description = "Name of the model artefacts bucket."
  value       = module.models.id
}

output "models_bucket_arn" {
  description = "ARN of the model artefacts bucket."
  value       = module.models.arn
}

output "access_log_bucket" {
  description = "Name of the S3 server access log bucket."
  value       = module.access_logs.id
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the data and model buckets."
  value       = module.key.key_arn
}

output "kms_key_alias" {
  description = "Alias of the data key (DVC: sse_kms_key_id, when uploads name a key)."
  value       = module.key.alias_name
}
