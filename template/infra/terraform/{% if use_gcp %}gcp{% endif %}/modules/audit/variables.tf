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

variable "bucket_name" {
  description = "Name of the bucket that keeps the audit logs (every Cloud Audit Logs entry, through a log sink)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name: expected a bucket name of 3-63 lowercase letters, digits or '-'."
  }
}

variable "location" {
  description = "Region of the audit log bucket: the region of its KMS key."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.location))
    error_message = "location: expected a Google Cloud region such as us-central1."
  }
}

variable "kms_key_id" {
  description = "KMS key id (CMEK) of the audit log bucket; the Cloud Storage service agent must be able to use it."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key_id))
    error_message = "kms_key_id: expected a key id: projects/P/locations/L/keyRings/R/cryptoKeys/K."
  }
}

variable "access_log_bucket" {
  description = "Bucket that receives the audit log bucket's access logs."
  type        = string
}

variable "retention_days" {
  description = "Days every audit log object is kept: it cannot be deleted or replaced before, and is deleted after."
  type        = number

  validation {
    condition     = var.retention_days >= 365 && var.retention_days <= 3650
    error_message = "retention_days: expected a number from 365 to 3650."
  }
}

variable "retention_locked" {
  description = "Lock the retention policy: it can then never be shortened or removed, and the bucket not deleted before its objects are retention_days old. Cannot be undone."
  type        = bool
  default     = false
}

variable "labels" {
  description = "Labels of the audit log bucket."
  type        = map(string)
  default     = {}
}
