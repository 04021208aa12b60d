variable "project_id" {
  description = "Google Cloud project id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "services" {
  description = "API service names to enable, such as container.googleapis.com."
  type        = set(string)

  validation {
    condition     = alltrue([for s in var.services : can(regex("^[a-z0-9.-]+\\.googleapis\\.com$", s))])
    error_message = "services: expected API names ending in .googleapis.com."
  }
}

variable "service_identities" {
  description = "Services whose service agent is created up front (google-beta google_project_service_identity)."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.service_identities : can(regex("^[a-z0-9.-]+\\.googleapis\\.com$", s))])
    error_message = "service_identities: expected API names ending in .googleapis.com."
  }
}
