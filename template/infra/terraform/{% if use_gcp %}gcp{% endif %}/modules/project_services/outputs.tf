output "services" {
  description = "The enabled API service names."
  value       = sort([for s in google_project_service.this : s.service])
}

output "service_agents" {
  description = "Service => email of its service agent (for the services in service_identities)."
  value       = { for s, identity in google_project_service_identity.this : s => identity.email }
}
