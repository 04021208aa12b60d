variable "name" {
  description = "Alias of the key (without the alias/ prefix)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_-]{1,250}$", var.name)) && !startswith(var.name, "aws/")
    error_message = "name: expected 1-250 letters, digits, '/', '_' or '-', not starting with 'aws/'."
  }
}

variable "description" {
  description = "What the key protects."
  type        = string
}

variable "allow_cloudwatch_logs" {
  description = "Let CloudWatch Logs in this region encrypt this account's log groups with the key."
  type        = bool
  default     = false
}

variable "allow_cloudtrail" {
  description = "Let CloudTrail encrypt this account's trails with the key."
  type        = bool
  default     = false
}

variable "allow_ec2_autoscaling" {
  description = "Let EC2 Auto Scaling's service-linked role encrypt the EBS volumes of the instances it launches (EKS node groups) with the key."
  type        = bool
  default     = false
}

variable "allow_cloudwatch_alarms" {
  description = "Let CloudWatch alarms and EventBridge rules of this account publish to SNS topics encrypted with the key."
  type        = bool
  default     = false
}

variable "rotation_period_in_days" {
  description = "Days between automatic key rotations."
  type        = number
  default     = 365

  validation {
    condition     = var.rotation_period_in_days >= 90 && var.rotation_period_in_days <= 2560
    error_message = "rotation_period_in_days: expected 90 to 2560."
  }
}

variable "deletion_window_in_days" {
  description = "Waiting period before a scheduled key deletion takes effect."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days: expected 7 to 30."
  }
}

variable "tags" {
  description = "Tags added to the key."
  type        = map(string)
  default     = {}
}
