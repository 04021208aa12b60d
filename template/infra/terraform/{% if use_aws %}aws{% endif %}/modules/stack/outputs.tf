output "dvc_bucket" {
  description = "DVC remote bucket (s3://<dvc_bucket>)."
  value       = module.data.dvc_bucket
}

output "models_bucket" {
  description = "Bucket of the model artefacts."
  value       = module.data.models_bucket
}

output "registry_urls" {
  description = "ECR repository URL per image (train, serve): where CI pushes."
  value       = module.registry.repository_urls
}

output "compute" {
  description = "The GPU compute: the cluster and the identities of its workloads (Kubernetes), or the GPU VM (VM)."
  value       = local.compute
}
