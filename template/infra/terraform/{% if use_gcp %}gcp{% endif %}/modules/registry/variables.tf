variable "project_id" {
  description = "Google Cloud project id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "region" {
  description = "Region of the repository."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region: expected a Google Cloud region such as us-central1."
  }
}

variable "name" {
  description = "Repository id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,61}[a-z0-9]$", var.name))
    error_message = "name: expected 3-63 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "description" {
  description = "Description of the repository."
  type        = string
  default     = "Training and serving images"
}

variable "kms_key_id" {
  description = "KMS key id (CMEK); the Artifact Registry service agent must be able to use it."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key_id))
    error_message = "kms_key_id: expected a key id: projects/P/locations/L/keyRings/R/cryptoKeys/K."
  }
}

variable "untagged_retention_days" {
  description = "Days after which untagged images are deleted."
  type        = number
  default     = 14

  validation {
    condition     = var.untagged_retention_days >= 1 && var.untagged_retention_days <= 3650
    error_message = "untagged_retention_days: expected a number from 1 to 3650."
  }
}

variable "keep_recent_versions" {
  description = "Most recent versions of each image kept whatever their age."
  type        = number
  default     = 20

  validation {
    condition     = var.keep_recent_versions >= 1 && var.keep_recent_versions <= 1000
    error_message = "keep_recent_versions: expected a number from 1 to 1000."
  }
}

variable "readers" {
  description = "Static label => IAM member that pull images (GKE nodes, the GPU VM)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for m in values(var.readers) : can(regex("^(user|group|serviceAccount|principalSet|principal):", m))])
    error_message = "readers: expected IAM members; allUsers and allAuthenticatedUsers are not allowed."
  }
}

variable "writers" {
  description = "Static label => IAM member that push images (the CI build identity)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for m in values(var.writers) : can(regex("^(user|group|serviceAccount|principalSet|principal):", m))])
    error_message = "writers: expected IAM members; allUsers and allAuthenticatedUsers are not allowed."
  }
}

variable "labels" {
  description = "Labels of the repository."
  type        = map(string)
  default     = {}
}
