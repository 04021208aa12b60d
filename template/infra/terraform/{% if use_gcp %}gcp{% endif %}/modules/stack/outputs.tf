output "dvc_remote_url" {
  description = "DVC remote of the environment (.dvc/config)."
  value       = module.data.dvc_remote_url
}

output "dvc_bucket" {
  description = "Name of the DVC bucket."
  value       = module.data.dvc_bucket
}

output "models_bucket" {
  description = "Name of the models bucket."
  value       = module.data.models_bucket
}

output "registry_url" {
  description = "Docker registry path CI pushes images to."
  value       = module.registry.repository_url
}

output "kms_key_ids" {
  description = "Customer-managed key ids by purpose."
  value       = module.kms.key_ids
}

output "network_name" {
  description = "Name of the VPC."
  value       = module.network.network_name
}

output "compute" {
  description = "The GPU compute: the cluster and the identities of its workloads (Kubernetes), or the GPU VM (VM)."
  value       = local.compute
}
