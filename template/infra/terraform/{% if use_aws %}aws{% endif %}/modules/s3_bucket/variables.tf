variable "name" {
  description = "Globally unique bucket name."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "name: expected an S3 bucket name: 3-63 lowercase letters, digits, '.' or '-'."
  }
}

variable "kms_key_arn" {
  description = "KMS key of the bucket's default encryption (ignored for an access log bucket)."
  type        = string
  default     = null
}

variable "kms_key_aliases" {
  description = "Other names of the key that uploads may send as their key id (alias/..., alias ARN)."
  type        = list(string)
  default     = []
}

variable "access_log_bucket" {
  description = "Bucket that receives this bucket's server access logs (null only for an access log bucket)."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_target || var.access_log_bucket != null
    error_message = "access_log_bucket: expected a bucket name unless the bucket is itself an access log bucket."
  }
}

variable "access_log_target" {
  description = "This bucket receives server access logs: SSE-S3 encryption and no logging of its own, as S3 requires."
  type        = bool
  default     = false
}

variable "noncurrent_version_retention_days" {
  description = "Days a replaced or deleted object version is kept."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_retention_days >= 1
    error_message = "noncurrent_version_retention_days: expected 1 or more."
  }
}

variable "transition_to_ia_days" {
  description = "Days before current objects move to STANDARD_IA (null: never)."
  type        = number
  default     = null

  validation {
    condition     = var.transition_to_ia_days == null || try(var.transition_to_ia_days >= 30, false)
    error_message = "transition_to_ia_days: expected null or 30 or more (the STANDARD_IA minimum)."
  }
}

variable "expiration_days" {
  description = "Days before current objects expire (null: never)."
  type        = number
  default     = null

  validation {
    condition     = var.expiration_days == null || try(var.expiration_days >= 1, false)
    error_message = "expiration_days: expected null or 1 or more."
  }
}

variable "prefix_expiration_days" {
  description = "Days before current objects under each key prefix expire (prefix => days)."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for prefix, days in var.prefix_expiration_days : endswith(prefix, "/") && days >= 1])
    error_message = "prefix_expiration_days: expected prefixes ending in / and 1 or more days."
  }
}

variable "extra_policy_json" {
  description = "Extra bucket policy statements (JSON policy document) merged into the bucket policy."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Allow `terraform destroy` to delete a bucket that still holds objects."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to the bucket."
  type        = map(string)
  default     = {}
}

variable "object_lock_days" {
  description = "Days every object version is locked (S3 Object Lock, COMPLIANCE mode); null: no object lock."
  type        = number
  default     = null

  validation {
    condition     = var.object_lock_days == null ? true : var.object_lock_days >= 1
    error_message = "object_lock_days: expected a number of days of 1 or more, or null."
  }
}
