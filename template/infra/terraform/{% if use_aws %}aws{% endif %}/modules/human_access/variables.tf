variable "name" {
  description = "Project slug: prefix of the role names and of the resources they reach."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name: expected 3-40 lowercase letters, digits or '-'."
  }
}

variable "region" {
  description = "AWS region of the environments."
  type        = string
}

variable "environments" {
  description = "Environments that get the human roles."
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

variable "grants" {
  description = "The access matrix: environment => role => resource => none, read, write or admin (policies/access-matrix.yml)."
  type        = map(map(map(string)))

  validation {
    condition = alltrue(flatten([
      for env, roles in var.grants : [
        for role, resources in roles : [for level in values(resources) : contains(["none", "read", "write", "admin"], level)]
      ]
    ]))
    error_message = "grants: expected levels none, read, write or admin."
  }

  # The promise of the matrix, kept even if it is edited by hand: humans read-only in prod.
  validation {
    condition = alltrue(flatten([
      for role in ["data_scientist", "ml_engineer", "platform_engineer"] : [
        for level in values(try(var.grants["prod"][role], {})) : contains(["none", "read"], level)
      ]
    ]))
    error_message = "grants: expected none or read for data_scientist, ml_engineer and platform_engineer in prod (only break_glass writes there)."
  }

  validation {
    condition     = alltrue([for env, roles in var.grants : try(roles["data_scientist"]["terraform_state"], "none") == "none"])
    error_message = "grants: expected terraform_state none for data_scientist in every environment."
  }
}

variable "saml_provider_arn" {
  description = "ARN of the organisation's SAML identity provider in this account; empty (the default): IAM Identity Center permission sets assume the roles."
  type        = string
  default     = ""

  validation {
    condition     = var.saml_provider_arn == "" || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:saml-provider/[A-Za-z0-9_.-]+$", var.saml_provider_arn))
    error_message = "saml_provider_arn: expected arn:aws:iam::<12-digit account>:saml-provider/<name>, or \"\" for IAM Identity Center."
  }
}

variable "permission_sets" {
  description = "IAM Identity Center permission set whose users may assume each role (without SAML)."
  type        = map(string)
  default = {
    data_scientist    = "DataScientist"
    ml_engineer       = "MLEngineer"
    platform_engineer = "PlatformEngineer"
    break_glass       = "BreakGlass"
  }

  validation {
    condition     = alltrue([for role in ["data_scientist", "ml_engineer", "platform_engineer", "break_glass"] : can(regex("^[A-Za-z0-9+=,.@_-]{1,32}$", var.permission_sets[role]))])
    error_message = "permission_sets: expected a permission set name (1-32 letters, digits or +=,.@_-) for data_scientist, ml_engineer, platform_engineer and break_glass."
  }
}

variable "break_glass_policy_json" {
  description = "Environment => policy of the break-glass role (the CI apply role's, from the identity module)."
  type        = map(string)
}

variable "break_glass_boundary_arns" {
  description = "Environment => permissions boundary of the break-glass role (the CI apply role's)."
  type        = map(string)
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
