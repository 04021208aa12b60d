variable "name" {
  description = "Name prefix of the budget (the project slug)."
  type        = string
}

variable "monthly_budget_usd" {
  description = "Monthly budget in US dollars."
  type        = number

  validation {
    condition     = var.monthly_budget_usd > 0
    error_message = "monthly_budget_usd: expected a positive amount."
  }
}

variable "alert_emails" {
  description = "E-mail addresses that receive the budget alerts (1 to 10)."
  type        = list(string)

  validation {
    condition     = length(var.alert_emails) >= 1 && length(var.alert_emails) <= 10 && alltrue([for e in var.alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$", e))])
    error_message = "alert_emails: expected 1 to 10 e-mail addresses."
  }
}

variable "alert_thresholds_percent" {
  description = "Percentages of the budget (actual spend) that send an alert."
  type        = list(number)
  default     = [50, 80, 100]
}

variable "cost_allocation_tag" {
  description = "Cost allocation tag that selects this project's costs (activate it in the Billing console); null = the whole account."
  type = object({
    key   = string
    value = string
  })
  default = null
}

variable "tags" {
  description = "Tags added to the budget."
  type        = map(string)
  default     = {}
}
