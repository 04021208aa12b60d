output "network_id" {
  description = "Id of the VPC."
  value       = google_compute_network.this.id
}

output "network_name" {
  description = "Name of the VPC."
  value       = google_compute_network.this.name
}

output "subnet_id" {
  description = "Id of the private subnet."
  value       = google_compute_subnetwork.private.id
}

output "subnet_name" {
  description = "Name of the private subnet."
  value       = google_compute_subnetwork.private.name
}

output "subnet_cidr" {
  description = "Primary range of the private subnet."
  value       = google_compute_subnetwork.private.ip_cidr_range
}

output "pods_range_name" {
  description = "Name of the secondary range for GKE pods."
  value       = google_compute_subnetwork.private.secondary_ip_range[0].range_name
}

output "services_range_name" {
  description = "Name of the secondary range for GKE services."
  value       = google_compute_subnetwork.private.secondary_ip_range[1].range_name
}
