# The Google APIs the project's infrastructure needs, enabled once for the whole project.
resource "google_project_service" "this" {
  for_each = var.services

  project = var.project_id
  service = each.value

  # Turning an API off would break every environment that shares the project.
  disable_on_destroy         = false
  disable_dependent_services = false
}
