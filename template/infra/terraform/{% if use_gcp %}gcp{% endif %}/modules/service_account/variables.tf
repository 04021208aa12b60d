variable "project_id" {
  description = "Google Cloud project id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "account_id" {
  description = "Account id of the workload's service account, made by the bootstrap (the part of the email before '@')."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.account_id))
    error_message = "account_id: expected 6-30 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "project_roles" {
  description = "Project-level roles (keep to the least the workload needs; prefer resource-level grants)."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.project_roles : !contains(["roles/owner", "roles/editor", "roles/viewer"], r)])
    error_message = "project_roles: expected no basic roles (owner, editor, viewer)."
  }
}

variable "kubernetes_service_accounts" {
  description = "Kubernetes service accounts, as namespace/name, that may impersonate this account (GKE Workload Identity)."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for k in var.kubernetes_service_accounts : can(regex("^[a-z0-9-]+/[a-z0-9-]+$", k))])
    error_message = "kubernetes_service_accounts: expected namespace/name pairs such as serving/model-server."
  }
}
