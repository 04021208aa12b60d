variable "project_id" {
  description = "Google Cloud project id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "services" {
  description = "Services whose Data Access logs are enabled."
  type        = set(string)
  default     = ["storage.googleapis.com", "cloudkms.googleapis.com"]

  validation {
    condition     = alltrue([for s in var.services : s == "allServices" || can(regex("^[a-z0-9.-]+\\.googleapis\\.com$", s))])
    error_message = "services: expected API names such as storage.googleapis.com, or allServices."
  }
}

variable "log_types" {
  description = "Data Access log types: ADMIN_READ, DATA_READ, DATA_WRITE (the compliance profile chooses)."
  type        = set(string)

  validation {
    condition     = length(var.log_types) > 0 && alltrue([for t in var.log_types : contains(["ADMIN_READ", "DATA_READ", "DATA_WRITE"], t)])
    error_message = "log_types: expected a non-empty subset of ADMIN_READ, DATA_READ, DATA_WRITE."
  }
}
