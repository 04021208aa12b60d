variable "project_id" {
  description = "Google Cloud project id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "name" {
  description = "Name of the bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.name))
    error_message = "name: expected a bucket name of 3-63 lowercase letters, digits or '-'."
  }
}

variable "location" {
  description = "Location of the bucket: the region, so that the regional KMS key can encrypt it."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.location))
    error_message = "location: expected a Google Cloud region such as us-central1."
  }
}

variable "kms_key_id" {
  description = "KMS key id (CMEK) of the bucket; the Cloud Storage service agent must be able to use it."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key_id))
    error_message = "kms_key_id: expected a key id: projects/P/locations/L/keyRings/R/cryptoKeys/K."
  }
}

variable "storage_class" {
  description = "Storage class of the bucket; null: the location's default (STANDARD)."
  type        = string
  default     = null
}

variable "access_log_bucket" {
  description = "Bucket that receives this bucket's access logs; null for an access-log bucket itself."
  type        = string
  default     = null
}

variable "expire_after_days" {
  description = "Days after which live objects are deleted; 0 keeps them until they are replaced."
  type        = number
  default     = 0

  validation {
    condition     = var.expire_after_days >= 0 && var.expire_after_days <= 3650
    error_message = "expire_after_days: expected a number from 0 to 3650."
  }
}

variable "prefix_expiration_days" {
  description = "Days after which live objects under each name prefix are deleted (prefix => days)."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for prefix, days in var.prefix_expiration_days : endswith(prefix, "/") && days >= 1])
    error_message = "prefix_expiration_days: expected prefixes ending in / and 1 or more days."
  }
}

variable "noncurrent_retention_days" {
  description = "Days a replaced or deleted object version is kept."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_retention_days >= 1 && var.noncurrent_retention_days <= 3650
    error_message = "noncurrent_retention_days: expected a number from 1 to 3650."
  }
}

variable "soft_delete_days" {
  description = "Days a deleted object can still be restored (soft delete; 7-90, or 0 to disable); null: the provider's default."
  type        = number
  default     = null

  validation {
    condition     = var.soft_delete_days == null || try(var.soft_delete_days == 0 || (var.soft_delete_days >= 7 && var.soft_delete_days <= 90), false)
    error_message = "soft_delete_days: expected 0 or from 7 to 90."
  }
}

variable "labels" {
  description = "Labels of the bucket."
  type        = map(string)
  default     = {}
}
