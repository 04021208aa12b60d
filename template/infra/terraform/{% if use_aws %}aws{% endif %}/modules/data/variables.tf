variable "name" {
  description = "Name prefix of the buckets and the key: <project_slug>-<environment>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,49}[a-z0-9]$", var.name))
    error_message = "name: expected 3-51 lowercase letters, digits or '-' (bucket names add up to 12 characters)."
  }
}

variable "data_retention_days" {
  description = "Days raw and intermediate data (the DVC remote) are kept before they expire."
  type        = number

  validation {
    condition     = var.data_retention_days >= 1 && var.data_retention_days <= 3650
    error_message = "data_retention_days: expected 1 to 3650."
  }
}

variable "noncurrent_version_retention_days" {
  description = "Days a replaced or deleted object version is kept (data and models)."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_retention_days >= 1
    error_message = "noncurrent_version_retention_days: expected 1 or more."
  }
}

variable "access_log_retention_days" {
  description = "Days S3 server access logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = var.access_log_retention_days >= 90
    error_message = "access_log_retention_days: expected 90 or more."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
