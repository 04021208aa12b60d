variable "name" {
  description = "Name of the trail and prefix of its bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,50}$", var.name))
    error_message = "name: expected lowercase letters, digits or '-', starting with a letter."
  }
}

variable "bucket_name" {
  description = "Globally unique name of the bucket that receives the trail's log files."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the trail, its bucket, log group and topic (must allow CloudTrail and CloudWatch Logs)."
  type        = string
}

variable "access_log_bucket" {
  description = "Bucket that receives the trail bucket's server access logs."
  type        = string
}

variable "retention_days" {
  description = "Days trail files are kept in the bucket."
  type        = number
  default     = 365

  validation {
    condition     = var.retention_days >= 90
    error_message = "retention_days: expected 90 or more."
  }
}

variable "log_retention_days" {
  description = "Days the trail's CloudWatch log group keeps events (a CloudWatch Logs retention value, at least 365)."
  type        = number
  default     = 365

  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days: expected 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "data_event_bucket_arns" {
  description = "Buckets whose object reads and writes are recorded (S3 data events)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "object_lock_days" {
  description = "Days trail files are locked against deletion (S3 Object Lock, COMPLIANCE mode); null: not locked."
  type        = number
  default     = null

  validation {
    condition     = var.object_lock_days == null ? true : var.object_lock_days <= var.retention_days
    error_message = "object_lock_days: expected at most retention_days (files are expired after retention_days), or null."
  }
}
