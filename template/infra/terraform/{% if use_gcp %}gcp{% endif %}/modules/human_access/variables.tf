variable "project_id" {
  description = "Google Cloud project id."
  type        = string
}

variable "project_slug" {
  description = "Project slug: prefix of the buckets (<project_slug>-<env>-dvc, -models)."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the environments' resource names (the registry is <name_prefix>-<env>)."
  type        = string
}

variable "region" {
  description = "Region of the environments' registries."
  type        = string
}

variable "environments" {
  description = "Environments whose resources the groups reach."
  type        = set(string)
}

variable "state_bucket" {
  description = "Terraform state bucket (prefix gcp/envs/<env>)."
  type        = string
}

variable "compute_platform" {
  description = "kubernetes or vm: which viewer role shows the compute."
  type        = string
}

variable "grants" {
  description = "The access matrix: environment => role => resource => none, read, write or admin (policies/access-matrix.yml)."
  type        = map(map(map(string)))

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

variable "groups" {
  description = "Role (data_scientist, ml_engineer, platform_engineer, break_glass) => Google group, as group:name@example.com; a role left out gets no access."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for role, member in var.groups :
      contains(["data_scientist", "ml_engineer", "platform_engineer", "break_glass"], role) && can(regex("^group:[^@\\s]+@[^@\\s]+\\.[a-z]+$", member))
    ])
    error_message = "groups: expected roles data_scientist, ml_engineer, platform_engineer or break_glass, each mapped to group:<name>@<domain>."
  }
}

variable "apply_service_accounts" {
  description = "Environment => email of its CI apply service account (break-glass may impersonate it)."
  type        = map(string)
}
