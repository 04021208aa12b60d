output "secret_id" {
  description = "Id of the secret (gcloud secrets versions access latest --secret <secret_id>)."
  value       = google_secret_manager_secret.this.secret_id
}

output "name" {
  description = "Resource name of the secret (projects/<number>/secrets/<secret_id>)."
  value       = google_secret_manager_secret.this.name
}
