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
