output "data_writer_role" {
  description = "Id of the custom role of the humans' write level (objects: read, list, create; no delete)."
  value       = google_project_iam_custom_role.data_writer.id
}
