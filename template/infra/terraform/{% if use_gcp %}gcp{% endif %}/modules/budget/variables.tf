variable "project_id" {
  description = "Google Cloud project id whose spend the budget tracks."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "billing_account" {
  description = "Billing account id, such as 012345-6789AB-CDEF01 (gcloud billing accounts list)."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$", var.billing_account))
    error_message = "billing_account: expected the form 012345-6789AB-CDEF01."
  }
}

variable "name" {
  description = "Display name of the budget."
  type        = string
}

variable "monthly_budget_usd" {
  description = "Monthly budget in US dollars."
  type        = number

  validation {
    condition     = var.monthly_budget_usd > 0 && var.monthly_budget_usd <= 10000000 && floor(var.monthly_budget_usd) == var.monthly_budget_usd
    error_message = "monthly_budget_usd: expected a whole number greater than 0 and at most 10000000."
  }
}

variable "alert_thresholds" {
  description = "Fractions of the budget (actual spend) that trigger an alert."
  type        = list(number)
  default     = [0.5, 0.8, 1.0]

  validation {
    condition     = length(var.alert_thresholds) > 0 && alltrue([for t in var.alert_thresholds : t > 0 && t <= 10])
    error_message = "alert_thresholds: expected fractions greater than 0, such as 0.5 for 50%."
  }
}

variable "alert_emails" {
  description = "E-mail addresses notified of budget alerts."
  type        = list(string)

  validation {
    condition     = length(var.alert_emails) > 0 && length(var.alert_emails) <= 10 && alltrue([for e in var.alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[a-zA-Z]{2,}$", e))])
    error_message = "alert_emails: expected 1-10 e-mail addresses."
  }
}
