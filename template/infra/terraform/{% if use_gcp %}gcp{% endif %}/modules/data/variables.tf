variable "project_id" {
  description = "Google Cloud project id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "location" {
  description = "Location of the buckets: the region, so that the regional KMS key can encrypt them."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.location))
    error_message = "location: expected a Google Cloud region such as us-central1."
  }
}

variable "dvc_bucket_name" {
  description = "Name of the DVC remote bucket: <project_slug>-<environment>-dvc (.dvc/config points at it)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.dvc_bucket_name)) && endswith(var.dvc_bucket_name, "-dvc")
    error_message = "dvc_bucket_name: expected a bucket name of 3-63 lowercase letters, digits or '-', ending in -dvc."
  }
}

variable "models_bucket_name" {
  description = "Name of the models bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.models_bucket_name))
    error_message = "models_bucket_name: expected a bucket name of 3-63 lowercase letters, digits or '-'."
  }
}

variable "access_logs_bucket_name" {
  description = "Name of the bucket that receives the other buckets' access logs."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.access_logs_bucket_name))
    error_message = "access_logs_bucket_name: expected a bucket name of 3-63 lowercase letters, digits or '-'."
  }
}

variable "kms_key_id" {
  description = "KMS key id (CMEK) of every bucket; the Cloud Storage service agent must be able to use it."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key_id))
    error_message = "kms_key_id: expected a key id: projects/P/locations/L/keyRings/R/cryptoKeys/K."
  }
}

variable "data_retention_days" {
  description = "Days datasets and access logs are kept before lifecycle rules delete them."
  type        = number

  validation {
    condition     = var.data_retention_days >= 1 && var.data_retention_days <= 3650 && floor(var.data_retention_days) == var.data_retention_days
    error_message = "data_retention_days: expected a whole number from 1 to 3650."
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
  description = "Days a deleted object can still be restored (soft delete; 7-90, or 0 to disable)."
  type        = number
  default     = 7

  validation {
    condition     = var.soft_delete_days == 0 || (var.soft_delete_days >= 7 && var.soft_delete_days <= 90)
    error_message = "soft_delete_days: expected 0 or from 7 to 90."
  }
}

variable "readers" {
  description = "Static label => IAM member that reads the models bucket (serving); datasets stay closed to it."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for m in values(var.readers) : can(regex("^(user|group|serviceAccount|principalSet|principal):", m))])
    error_message = "readers: expected IAM members; allUsers and allAuthenticatedUsers are not allowed."
  }
}

variable "writers" {
  description = "Static label => IAM member that write datasets and models (training, the CI data job)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for m in values(var.writers) : can(regex("^(user|group|serviceAccount|principalSet|principal):", m))])
    error_message = "writers: expected IAM members; allUsers and allAuthenticatedUsers are not allowed."
  }
}

variable "labels" {
  description = "Labels of the buckets."
  type        = map(string)
  default     = {}
}
