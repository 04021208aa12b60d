output "instance_name" {
  description = "Name of the instance (gcloud compute ssh --tunnel-through-iap)."
  value       = google_compute_instance.this.name
}

output "instance_id" {
  description = "Id of the instance."
  value       = google_compute_instance.this.id
}

output "zone" {
  description = "Zone of the instance."
  value       = google_compute_instance.this.zone
}

output "service_account_email" {
  description = "Email of the instance's service account."
  value       = data.google_service_account.vm.email
}
