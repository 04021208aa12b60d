# The Google APIs the project's infrastructure needs, enabled once for the whole project.
resource "google_project_service" "this" {
  for_each = var.services

  project = var.project_id
  service = each.value

  # Turning an API off would break every environment that shares the project.
  disable_on_destroy         = false
  disable_dependent_services = false
}

# Some service agents (Artifact Registry's, for one) only appear on first use; creating them now
# lets the environment roots grant them a KMS key before creating the encrypted resources.
resource "google_project_service_identity" "this" {
  provider = google-beta
  for_each = var.service_identities

  project = var.project_id
  service = each.value

  depends_on = [google_project_service.this]
}
