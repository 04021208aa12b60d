output "repository_id" {
  description = "Id of the repository."
  value       = google_artifact_registry_repository.this.id
}

output "repository_url" {
  description = "Docker registry path for docker push/pull: <region>-docker.pkg.dev/<project>/<repository>."
  value       = "${google_artifact_registry_repository.this.location}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.this.repository_id}"
}
