variable "name" {
  description = "Name of the secret (<project>-<environment>-<purpose>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,120}$", var.name))
    error_message = "name: expected lowercase letters, digits or '-', such as churn-model-dev-prediction-log-key."
  }
}

variable "description" {
  description = "What the secret is for and who reads it."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the secret's values."
  type        = string
}

variable "recovery_window_days" {
  description = "Days a deleted secret can still be restored (0 deletes at once)."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_days == 0 || (var.recovery_window_days >= 7 && var.recovery_window_days <= 30)
    error_message = "recovery_window_days: expected 0 or 7 to 30."
  }
}

variable "tags" {
  description = "Tags of the secret."
  type        = map(string)
  default     = {}
}
