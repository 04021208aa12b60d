variable "project_id" {
  description = "Google Cloud project id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "ci_provider" {
  description = "CI system whose OIDC tokens are trusted: github or gitlab."
  type        = string

  validation {
    condition     = contains(["github", "gitlab"], var.ci_provider)
    error_message = "ci_provider: expected github or gitlab."
  }
}

variable "repository" {
  description = "owner/name (GitHub) or group/project path (GitLab), for descriptions."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9._/-]*/[A-Za-z0-9._-]+$", var.repository))
    error_message = "repository: expected owner/name or group/project."
  }
}

variable "github_repository_id" {
  description = "Numeric id of the GitHub repository (gh api repos/OWNER/NAME --jq .id); ignored for GitLab."
  type        = string
  default     = ""

  validation {
    condition     = var.github_repository_id == "" || can(regex("^[0-9]+$", var.github_repository_id))
    error_message = "github_repository_id: expected the repository's numeric id."
  }
}

variable "github_repository_owner_id" {
  description = "Numeric id of the GitHub repository owner (gh api users/OWNER --jq .id); ignored for GitLab."
  type        = string
  default     = ""

  validation {
    condition     = var.github_repository_owner_id == "" || can(regex("^[0-9]+$", var.github_repository_owner_id))
    error_message = "github_repository_owner_id: expected the owner's numeric id."
  }
}

variable "gitlab_project_id" {
  description = "Numeric id of the GitLab project (Settings > General); ignored for GitHub."
  type        = string
  default     = ""

  validation {
    condition     = var.gitlab_project_id == "" || can(regex("^[0-9]+$", var.gitlab_project_id))
    error_message = "gitlab_project_id: expected the project's numeric id."
  }
}

variable "gitlab_url" {
  description = "GitLab instance URL: the token issuer (https://gitlab.com or your self-managed instance)."
  type        = string
  default     = "https://gitlab.com"

  validation {
    condition     = can(regex("^https://[^/]+$", var.gitlab_url))
    error_message = "gitlab_url: expected an https URL without a trailing path, such as https://gitlab.com."
  }
}

variable "pool_id" {
  description = "Id of the Workload Identity pool."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}[a-z0-9]$", var.pool_id)) && !startswith(var.pool_id, "gcp-")
    error_message = "pool_id: expected 4-32 lowercase letters, digits or '-', not starting with gcp-."
  }
}

variable "service_account_prefix" {
  description = "Prefix of the CI service accounts (cut to 14 characters)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]+$", var.service_account_prefix))
    error_message = "service_account_prefix: expected lowercase letters, digits or '-', starting with a letter."
  }
}

variable "environments" {
  description = "Environments; each has its own apply service account."
  type        = set(string)

  validation {
    condition     = length(var.environments) > 0 && alltrue([for e in var.environments : contains(["dev", "staging", "prod"], e)])
    error_message = "environments: expected a non-empty subset of dev, staging, prod."
  }
}

variable "state_bucket" {
  description = "Name of the Terraform state bucket."
  type        = string
}

variable "plan_roles" {
  description = "Project roles of the plan account: read-only."
  type        = set(string)
  default = [
    "roles/browser",
    "roles/iam.securityReviewer",
    "roles/compute.viewer",
    "roles/dns.reader",
    "roles/container.viewer",
    "roles/cloudkms.viewer",
    "roles/artifactregistry.reader",
    "roles/serviceusage.serviceUsageViewer",
    "roles/iam.workloadIdentityPoolViewer",
    "roles/monitoring.viewer",
    "roles/logging.viewer",
  ]

  validation {
    condition     = alltrue([for r in var.plan_roles : !contains(["roles/owner", "roles/editor"], r)])
    error_message = "plan_roles: expected read-only roles."
  }
}

variable "apply_roles" {
  description = "Project roles of the apply accounts: the services every environment root manages, no basic roles (main.tf adds the compute platform's)."
  type        = set(string)
  default = [
    "roles/compute.networkAdmin",  # the network, subnet, router and NAT
    "roles/compute.securityAdmin", # firewall rules
    "roles/dns.admin",             # the private zones of Google APIs
    "roles/artifactregistry.admin",
    "roles/monitoring.alertPolicyEditor",         # modules/stack/monitoring*.tf
    "roles/monitoring.notificationChannelEditor", # the alert e-mails' channels
  ]

  # Storage, project IAM, KMS, Secret Manager and Firestore are granted with conditions (main.tf),
  # never unconditionally; service accounts only on the environment's own (workload_accounts.tf).
  validation {
    condition = alltrue([for r in var.apply_roles : !contains([
      "roles/owner", "roles/editor", "roles/storage.admin", "roles/resourcemanager.projectIamAdmin",
      "roles/cloudkms.admin", "roles/secretmanager.admin", "roles/datastore.owner",
      "roles/iam.serviceAccountAdmin", "roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator",
      "roles/iam.serviceAccountKeyAdmin", "roles/iam.securityAdmin",
    ], r)])
    error_message = "apply_roles: expected no basic roles, none of storage.admin, projectIamAdmin, cloudkms.admin, secretmanager.admin, datastore.owner (main.tf grants them with conditions) and no service account role (workload_accounts.tf grants one on the environment's own accounts)."
  }
}

variable "project_slug" {
  description = "Project slug: the apply account of an environment manages buckets named <project_slug>-<env>-* only."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.project_slug))
    error_message = "project_slug: expected 3-40 lowercase letters, digits or '-'."
  }
}

variable "grantable_roles" {
  description = "Project roles every environment's apply account may grant (to its GKE nodes or GPU VM); main.tf adds those of the compute platform, feature store and data engine."
  type        = set(string)
  default = [
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
  ]

  validation {
    condition     = alltrue([for r in var.grantable_roles : !can(regex("^roles/(owner|editor|.*[aA]dmin.*)$", r))])
    error_message = "grantable_roles: expected no basic or admin roles."
  }
}

variable "default_branch" {
  description = "Default branch whose CI jobs may impersonate the build account (GitLab: only while protected)."
  type        = string
  default     = "main"
}

variable "region" {
  description = "Region of the environments' KMS key rings (the apply account of an environment manages its own key ring only)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region: expected a Google Cloud region such as us-central1."
  }
}

variable "name_prefix" {
  description = "Prefix of the environments' resource names: the key ring of an environment is <name_prefix>-<env>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,28}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix: expected 2-30 lowercase letters, digits or '-'."
  }
}

variable "compute_platform" {
  description = "kubernetes (GKE) or vm (one GPU VM): decides the environments' workload service accounts."
  type        = string

  validation {
    condition     = contains(["kubernetes", "vm"], var.compute_platform)
    error_message = "compute_platform: expected kubernetes or vm."
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

variable "feature_store" {
  description = "none or feast: feast lets each apply account manage its environment's Firestore database."
  type        = string
  default     = "none"

  validation {
    condition     = contains(["none", "feast"], var.feature_store)
    error_message = "feature_store: expected none or feast."
  }
}
