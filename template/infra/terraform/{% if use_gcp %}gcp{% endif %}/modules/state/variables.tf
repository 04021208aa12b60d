variable "project_id" {
  description = "Google Cloud project id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "name" {
  description = "Name of the state bucket (the environment roots' backend \"gcs\" bucket)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$", var.name))
    error_message = "name: expected 3-50 lowercase letters, digits or '-' (the access-log bucket adds -access-logs)."
  }
}

variable "location" {
  description = "Region of the buckets (the KMS key's location)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.location))
    error_message = "location: expected a Google Cloud region such as us-central1."
  }
}

variable "kms_key_id" {
  description = "KMS key id (CMEK); the Cloud Storage service agent must be able to use it."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key_id))
    error_message = "kms_key_id: expected a key id: projects/P/locations/L/keyRings/R/cryptoKeys/K."
  }
}

variable "state_versions_kept" {
  description = "Noncurrent versions of each state file that are kept."
  type        = number
  default     = 50

  validation {
    condition     = var.state_versions_kept >= 1
    error_message = "state_versions_kept: expected at least 1."
  }
}

variable "log_retention_days" {
  description = "Days access logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = var.log_retention_days >= 1 && var.log_retention_days <= 3650
    error_message = "log_retention_days: expected a number from 1 to 3650."
  }
}

variable "labels" {
  description = "Labels of the buckets."
  type        = map(string)
  default     = {}
}
