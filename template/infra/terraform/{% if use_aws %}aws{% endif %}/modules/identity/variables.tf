variable "name" {
  description = "Name prefix of the CI roles (the project slug); apply roles may manage IAM roles with this prefix only."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name: expected lowercase letters, digits or '-', starting with a letter."
  }
}

variable "ci_provider" {
  description = "CI/CD provider whose OIDC tokens are trusted: github or gitlab."
  type        = string

  validation {
    condition     = contains(["github", "gitlab"], var.ci_provider)
    error_message = "ci_provider: expected github or gitlab."
  }
}

variable "region" {
  description = "AWS region of the environments: apply roles write only there."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region: expected an AWS region such as us-east-1."
  }
}

variable "gitlab_host" {
  description = "GitLab host that issues the tokens (gitlab.com or a self-managed host name)."
  type        = string
  default     = "gitlab.com"
}

variable "repository_owner" {
  description = "GitHub organisation/user or GitLab group path that owns the repository."
  type        = string
}

variable "repository_name" {
  description = "Name of the repository."
  type        = string
}

variable "default_branch" {
  description = "Protected default branch whose GitLab pipelines may apply."
  type        = string
  default     = "main"
}

variable "environments" {
  description = "Environments that get a plan and an apply role."
  type        = list(string)

  validation {
    condition     = length(var.environments) > 0 && alltrue([for env in var.environments : contains(["dev", "staging", "prod"], env)])
    error_message = "environments: expected one or more of dev, staging, prod."
  }
}

variable "state_bucket" {
  description = "Terraform state bucket (state keys are <environment>/...)."
  type        = string
}

variable "state_kms_key_arn" {
  description = "KMS key of the state bucket."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "compute_platform" {
  description = "kubernetes (EKS) or vm (one GPU VM): the apply roles may manage that platform's resources only."
  type        = string

  validation {
    condition     = contains(["kubernetes", "vm"], var.compute_platform)
    error_message = "compute_platform: expected kubernetes or vm."
  }
}

variable "feature_store" {
  description = "none or feast: feast lets the apply roles manage the environment's DynamoDB online tables."
  type        = string
  default     = "none"

  validation {
    condition     = contains(["none", "feast"], var.feature_store)
    error_message = "feature_store: expected none or feast."
  }
}

variable "data_engine" {
  description = "pandas or spark: spark lets the apply roles manage the environment's EMR Serverless application."
  type        = string
  default     = "pandas"

  validation {
    condition     = contains(["pandas", "spark"], var.data_engine)
    error_message = "data_engine: expected pandas or spark."
  }
}
