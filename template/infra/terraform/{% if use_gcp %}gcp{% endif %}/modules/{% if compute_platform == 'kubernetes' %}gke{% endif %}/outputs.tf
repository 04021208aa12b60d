output "cluster_name" {
  description = "Name of the cluster (for gcloud container clusters get-credentials)."
  value       = google_container_cluster.this.name
}

output "cluster_id" {
  description = "Id of the cluster."
  value       = google_container_cluster.this.id
}

output "location" {
  description = "Location (region) of the cluster."
  value       = google_container_cluster.this.location
}

output "endpoint" {
  description = "Private IP of the control plane."
  value       = google_container_cluster.this.private_cluster_config[0].private_endpoint
}

output "workload_pool" {
  description = "Workload Identity pool: Kubernetes service accounts map to serviceAccount:<pool>[namespace/name]."
  value       = google_container_cluster.this.workload_identity_config[0].workload_pool
}

output "node_service_account" {
  description = "Email of the nodes' service account."
  value       = data.google_service_account.nodes.email
}

output "gpu_node_pool" {
  description = "Name of the GPU node pool."
  value       = google_container_node_pool.gpu.name
}
