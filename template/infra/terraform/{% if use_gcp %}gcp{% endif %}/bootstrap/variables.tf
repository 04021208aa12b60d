variable "project_id" {
  description = "Google Cloud project id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "project_slug" {
  description = "Project slug: prefix of resource names."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.project_slug))
    error_message = "project_slug: expected 3-40 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "region" {
  description = "Region of the state bucket and its key."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region: expected a Google Cloud region such as us-central1."
  }
}

variable "state_bucket" {
  description = "Name of the Terraform state bucket (the environment roots' backend \"gcs\" bucket)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$", var.state_bucket))
    error_message = "state_bucket: expected 3-50 lowercase letters, digits or '-'."
  }
}

variable "environments" {
  description = "Environments: each gets its own CI apply service account."
  type        = set(string)

  validation {
    condition     = length(var.environments) > 0 && alltrue([for e in var.environments : contains(["dev", "staging", "prod"], e)])
    error_message = "environments: expected a non-empty subset of dev, staging, prod."
  }
}

variable "compute_platform" {
  description = "kubernetes (GKE) or vm (one GPU VM): decides the APIs to enable and the workload service accounts."
  type        = string

  validation {
    condition     = contains(["kubernetes", "vm"], var.compute_platform)
    error_message = "compute_platform: expected kubernetes or vm."
  }
}

variable "feature_store" {
  description = "none or feast: feast enables Firestore (the environments' online feature databases)."
  type        = string
  default     = "none"

  validation {
    condition     = contains(["none", "feast"], var.feature_store)
    error_message = "feature_store: expected none or feast."
  }
}

variable "data_engine" {
  description = "pandas or spark: spark adds each environment's Spark service account."
  type        = string
  default     = "pandas"

  validation {
    condition     = contains(["pandas", "spark"], var.data_engine)
    error_message = "data_engine: expected pandas or spark."
  }
}

variable "compliance_profile" {
  description = "none, gdpr or hipaa: decides the Data Access audit log types (and Binary Authorization)."
  type        = string

  validation {
    condition     = contains(["none", "gdpr", "hipaa"], var.compliance_profile)
    error_message = "compliance_profile: expected none, gdpr or hipaa."
  }
}

variable "ci_provider" {
  description = "github or gitlab: whose OIDC tokens the Workload Identity provider trusts."
  type        = string

  validation {
    condition     = contains(["github", "gitlab"], var.ci_provider)
    error_message = "ci_provider: expected github or gitlab."
  }
}

variable "repository" {
  description = "owner/name (GitHub) or group/project path (GitLab) of the repository."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9._/-]*/[A-Za-z0-9._-]+$", var.repository))
    error_message = "repository: expected owner/name or group/project."
  }
}

variable "ci_service_account_prefix" {
  description = "Prefix of the CI service accounts and of the Workload Identity pool (at most 14 characters)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,12}[a-z0-9]$", var.ci_service_account_prefix))
    error_message = "ci_service_account_prefix: expected 2-14 lowercase letters, digits or '-', not ending with '-'."
  }
}

variable "github_repository_id" {
  description = "GitHub only: numeric id of the repository (gh api repos/OWNER/NAME --jq .id)."
  type        = string
  default     = ""

  validation {
    condition     = var.ci_provider != "github" || can(regex("^[0-9]+$", var.github_repository_id))
    error_message = "github_repository_id: expected the repository's numeric id, set in terraform.tfvars (gh api repos/OWNER/NAME --jq .id)."
  }
}

variable "github_repository_owner_id" {
  description = "GitHub only: numeric id of the repository owner (gh api users/OWNER --jq .id)."
  type        = string
  default     = ""

  validation {
    condition     = var.ci_provider != "github" || can(regex("^[0-9]+$", var.github_repository_owner_id))
    error_message = "github_repository_owner_id: expected the owner's numeric id, set in terraform.tfvars (gh api users/OWNER --jq .id)."
  }
}

variable "gitlab_project_id" {
  description = "GitLab only: numeric id of the project (Settings > General)."
  type        = string
  default     = ""

  validation {
    condition     = var.ci_provider != "gitlab" || can(regex("^[0-9]+$", var.gitlab_project_id))
    error_message = "gitlab_project_id: expected the project's numeric id, set in terraform.tfvars (Settings > General)."
  }
}

variable "gitlab_url" {
  description = "GitLab only: instance URL, the OIDC token issuer."
  type        = string
  default     = "https://gitlab.com"

  validation {
    condition     = can(regex("^https://[^/]+$", var.gitlab_url))
    error_message = "gitlab_url: expected an https URL such as https://gitlab.com."
  }
}

variable "billing_account" {
  description = "Billing account id of the project, such as 012345-6789AB-CDEF01 (gcloud billing accounts list)."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$", var.billing_account))
    error_message = "billing_account: expected the form 012345-6789AB-CDEF01 (gcloud billing accounts list)."
  }
}

variable "monthly_budget_usd" {
  description = "Monthly budget in US dollars; alerts at 50%, 80% and 100%."
  type        = number

  validation {
    condition     = var.monthly_budget_usd > 0 && var.monthly_budget_usd <= 10000000
    error_message = "monthly_budget_usd: expected a number greater than 0 and at most 10000000."
  }
}

variable "budget_alert_emails" {
  description = "E-mail addresses that receive budget alerts."
  type        = list(string)

  validation {
    condition     = length(var.budget_alert_emails) > 0 && length(var.budget_alert_emails) <= 10
    error_message = "budget_alert_emails: expected 1-10 addresses."
  }
}

variable "name_prefix" {
  description = "Prefix of the environments' resource names (<name_prefix>-<env>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,28}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix: expected 2-30 lowercase letters, digits or '-'."
  }
}

variable "audit_retention_days" {
  description = "Days every audit log entry is kept in the audit log bucket (365; 2192, 6 years, under hipaa)."
  type        = number

  validation {
    condition     = var.audit_retention_days >= 365 && var.audit_retention_days <= 3650
    error_message = "audit_retention_days: expected a number from 365 to 3650."
  }

  validation {
    condition     = var.compliance_profile != "hipaa" || var.audit_retention_days >= 2190
    error_message = "audit_retention_days: expected 2190 (6 years) or more with compliance_profile hipaa."
  }
}

# Not derived from compliance_profile on purpose: locking a retention policy cannot be undone, so it
# is written out in terraform.tfvars, where a reviewer sees it before the first apply.
variable "audit_retention_locked" {
  description = "Lock the audit log bucket's retention policy: no one can shorten or remove it, nor delete the bucket before its objects are audit_retention_days old. Cannot be undone. Required under hipaa."
  type        = bool
  default     = false

  validation {
    condition     = var.audit_retention_locked || var.compliance_profile != "hipaa"
    error_message = "audit_retention_locked: expected true with compliance_profile hipaa (audit logs kept 6 years in a locked bucket)."
  }
}

variable "access_grants" {
  description = "The access matrix (policies/access-matrix.yml): environment => role => resource => level."
  type        = map(map(map(string)))
}

variable "access_groups" {
  description = "Role (data_scientist, ml_engineer, platform_engineer, break_glass) => Google group (group:name@example.com); a role left out gets no access."
  type        = map(string)
  default     = {}
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
