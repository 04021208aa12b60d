variable "project_id" {
  description = "Google Cloud project of the secret."
  type        = string
}

variable "secret_id" {
  description = "Id of the secret (<project>-<environment>-<purpose>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,120}$", var.secret_id))
    error_message = "secret_id: expected lowercase letters, digits or '-', such as churn-model-dev-prediction-log-key."
  }
}

variable "location" {
  description = "Region the secret is replicated in (the region of its KMS key)."
  type        = string
}

variable "kms_key_id" {
  description = "Customer-managed KMS key (in location) that encrypts the secret's versions; the Secret Manager service agent must be allowed to use it."
  type        = string
}

variable "readers" {
  description = "Static label => IAM member that may read the secret's values (roles/secretmanager.secretAccessor on this secret)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for m in values(var.readers) : can(regex("^(user|group|serviceAccount|principalSet|principal):", m))])
    error_message = "readers: expected IAM members; allUsers and allAuthenticatedUsers are not allowed."
  }
}

variable "labels" {
  description = "Labels of the secret."
  type        = map(string)
  default     = {}
}
