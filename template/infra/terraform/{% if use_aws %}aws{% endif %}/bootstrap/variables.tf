variable "region" {
  description = "AWS region of the state bucket and the trail's home region."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}-[a-z]+-[0-9]$", var.region))
    error_message = "region: expected an AWS region such as us-east-1."
  }
}

variable "project_slug" {
  description = "Project slug: prefix of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.project_slug))
    error_message = "project_slug: expected 3-40 lowercase letters, digits or '-'."
  }
}

variable "state_bucket" {
  description = "Name of the Terraform state bucket (the envs' backend blocks name it)."
  type        = string
}

variable "environments" {
  description = "Environments that get CI plan and apply roles."
  type        = list(string)
}

variable "ci_provider" {
  description = "CI/CD provider whose OIDC tokens are trusted: github or gitlab."
  type        = string
}

variable "repository_owner" {
  description = "GitHub organisation/user or GitLab group path of the repository."
  type        = string
}

variable "repository_name" {
  description = "Name of the repository."
  type        = string
}

variable "monthly_budget_usd" {
  description = "Monthly budget in US dollars."
  type        = number
}

variable "budget_alert_emails" {
  description = "E-mail addresses of the budget alerts."
  type        = list(string)
}

variable "audit_retention_days" {
  description = "Days trail files and access logs are kept."
  type        = number

  validation {
    condition     = var.audit_retention_days >= 365
    error_message = "audit_retention_days: expected 365 or more."
  }
}

variable "audit_object_lock_days" {
  description = "Days trail files are locked against deletion (S3 Object Lock, COMPLIANCE mode: not even the root user can delete them); null: not locked. The hipaa profile locks them for 6 years."
  type        = number
  default     = null

  validation {
    condition     = var.audit_object_lock_days == null ? true : var.audit_object_lock_days >= 1 && var.audit_object_lock_days <= var.audit_retention_days
    error_message = "audit_object_lock_days: expected 1 to audit_retention_days days, or null."
  }
}

variable "log_retention_days" {
  description = "Days the trail's CloudWatch log group keeps events (365, or 2192 for HIPAA)."
  type        = number
}

variable "access_grants" {
  description = "The access matrix (policies/access-matrix.yml): environment => role => resource => level."
  type        = map(map(map(string)))
}

variable "saml_provider_arn" {
  description = "ARN of the organisation's SAML identity provider; empty: IAM Identity Center permission sets (DataScientist, MLEngineer, PlatformEngineer, BreakGlass) assume the human roles."
  type        = string
  default     = ""
}

# Ownership tags (AWS tags Owner, CostCenter, DataClassification; GCP labels owner, cost-center,
# data-classification) on every taggable resource, through the provider. Values are label-safe so
# that both clouds accept them.
variable "owner" {
  description = "Team that owns the resources (tag Owner / label owner): the platform engineers' team by default."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_-]{0,62}$", var.owner))
    error_message = "owner: expected a lowercase team name (letters, digits, - and _; at most 63 characters), such as acme-platform-engineers."
  }
}

variable "cost_center" {
  description = "Cost center the resources are billed to (tag CostCenter / label cost-center): the project slug by default; set the finance code."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]{0,62}$", var.cost_center))
    error_message = "cost_center: expected a lowercase code (letters, digits, - and _; at most 63 characters), such as cc-1234."
  }
}

variable "data_classification" {
  description = "Most sensitive data the resources hold (tag DataClassification / label data-classification): restricted under hipaa, confidential under gdpr, internal otherwise."
  type        = string

  validation {
    condition     = contains(["public", "internal", "confidential", "restricted"], var.data_classification)
    error_message = "data_classification: expected public, internal, confidential or restricted."
  }
}
