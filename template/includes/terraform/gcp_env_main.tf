# One environment of the project: the stack module (../../modules/stack) with this folder's
# terraform.tfvars. What an environment is made of is changed in the stack, for every environment.

provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    project             = var.project_slug
    environment         = var.environment
    owner               = var.owner
    cost-center         = var.cost_center
    data-classification = var.data_classification
    managed-by          = "terraform"
  }
}

module "stack" {
  source = "../../modules/stack"

  project_id             = var.project_id
  region                 = var.region
  project_slug           = var.project_slug
  environment            = var.environment
  name_prefix            = var.name_prefix
  service_account_prefix = var.service_account_prefix
  compliance_profile     = var.compliance_profile
  data_retention_days    = var.data_retention_days
  gpu_machine_type       = var.gpu_machine_type
  gpu_accelerator_type   = var.gpu_accelerator_type
  gpu_accelerator_count  = var.gpu_accelerator_count
  use_spot               = var.use_spot
  gpu_max_nodes          = var.gpu_max_nodes
  gpu_zones              = var.gpu_zones
  api_allowed_cidrs      = var.api_allowed_cidrs
  kubernetes_namespace   = var.kubernetes_namespace
  rbac_security_group    = var.rbac_security_group
  zone                   = var.zone
  os_login_members       = var.os_login_members
  startup_script         = var.startup_script_file == null ? null : file("${path.module}/${var.startup_script_file}")
  alert_emails           = var.alert_emails
}

# The answers (terraform.tfvars). The stack module validates them and describes them in full.
variable "project_id" {
  description = "Google Cloud project id."
  type        = string
}

variable "region" {
  description = "Google Cloud region of every resource of the environment."
  type        = string
}

variable "project_slug" {
  description = "Project slug."
  type        = string
}

variable "environment" {
  description = "Name of the environment."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of resource names."
  type        = string
}

variable "service_account_prefix" {
  description = "Prefix of service account ids."
  type        = string
}

variable "compliance_profile" {
  description = "Compliance profile: none, gdpr or hipaa."
  type        = string
}

{% include 'template/includes/terraform/ownership_variables.tf' %}
variable "data_retention_days" {
  description = "Days datasets and access logs are kept."
  type        = number
}

variable "gpu_machine_type" {
  description = "Machine type of the GPU nodes or VM."
  type        = string
}

variable "gpu_accelerator_type" {
  description = "Accelerator of the GPU nodes or VM."
  type        = string
}

variable "gpu_accelerator_count" {
  description = "Accelerators per GPU node or VM."
  type        = number
}

variable "use_spot" {
  description = "Run GPU capacity on Spot VMs."
  type        = bool
}

variable "gpu_max_nodes" {
  description = "Most GPU nodes (Kubernetes only; null: the stack's default)."
  type        = number
  default     = null
}

variable "gpu_zones" {
  description = "Zones of the GPU node pool (Kubernetes only; null: the cluster's zones)."
  type        = list(string)
  default     = null
}

variable "api_allowed_cidrs" {
  description = "CIDR blocks allowed to reach the Kubernetes API (Kubernetes only; null: private only)."
  type        = list(string)
  default     = null
}

variable "kubernetes_namespace" {
  description = "Namespace of the workloads (Kubernetes only; null: the stack's default)."
  type        = string
  default     = null
}

variable "rbac_security_group" {
  description = "Google Groups for RBAC: gke-security-groups@<your domain> (Kubernetes only; null: none)."
  type        = string
  default     = null
}

variable "zone" {
  description = "Zone of the GPU VM (VM only)."
  type        = string
  default     = null
}

variable "os_login_members" {
  description = "IAM members allowed to log in to the GPU VM with OS Login (VM only)."
  type        = set(string)
  default     = null
}

variable "alert_emails" {
  description = "E-mail addresses the alert policies notify."
  type        = list(string)
}

variable "startup_script_file" {
  description = "The GPU VM's startup script, relative to this folder: deploy/vm/<cloud>/startup.sh (VM only; null: none)."
  type        = string
  default     = null
}

output "region" {
  description = "Google Cloud region of the environment."
  value       = var.region
}

output "dvc_remote_url" {
  description = "DVC remote of the environment (.dvc/config)."
  value       = module.stack.dvc_remote_url
}

output "dvc_bucket" {
  description = "Name of the DVC bucket."
  value       = module.stack.dvc_bucket
}

output "models_bucket" {
  description = "Name of the models bucket."
  value       = module.stack.models_bucket
}

output "registry_url" {
  description = "Docker registry path CI pushes images to."
  value       = module.stack.registry_url
}

output "kms_key_ids" {
  description = "Customer-managed key ids by purpose."
  value       = module.stack.kms_key_ids
}

output "network_name" {
  description = "Name of the VPC."
  value       = module.stack.network_name
}

output "compute" {
  description = "The GPU compute: the GKE cluster and workload service accounts, or the GPU VM."
  value       = module.stack.compute
}

# State addresses of projects generated before the stack module existed, when these modules were
# called from this root: `terraform plan` moves them instead of destroying and recreating them.
moved {
  from = module.network
  to   = module.stack.module.network
}

moved {
  from = module.kms
  to   = module.stack.module.kms
}

moved {
  from = module.registry
  to   = module.stack.module.registry
}

moved {
  from = module.data
  to   = module.stack.module.data
}

moved {
  from = module.gke
  to   = module.stack.module.gke
}

moved {
  from = module.training_identity
  to   = module.stack.module.training_identity
}

moved {
  from = module.serving_identity
  to   = module.stack.module.serving_identity
}

moved {
  from = module.gpu_vm
  to   = module.stack.module.gpu_vm
}
