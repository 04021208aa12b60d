# Data Access audit logs for the services that hold and protect the project's data. Admin
# Activity logs are always on; these add reads and writes of data and of key usage.
resource "google_project_iam_audit_config" "this" {
  for_each = var.services

  project = var.project_id
  service = each.value

  dynamic "audit_log_config" {
    for_each = var.log_types
    content {
      log_type = audit_log_config.value
    }
  }
}
