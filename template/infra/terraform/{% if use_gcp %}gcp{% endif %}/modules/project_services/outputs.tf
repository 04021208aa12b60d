output "services" {
  description = "The enabled API service names."
  value       = sort([for s in google_project_service.this : s.service])
}
