# One environment of the project: the stack module (../../modules/stack) with this folder's
# terraform.tfvars. What an environment is made of is changed in the stack, for every environment.

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

# A plain map (no merge): checkov's required-tags policy (policies/checkov) reads it on the provider.
locals {
  tags = {
    Project            = var.project_slug
    Environment        = var.environment
    Owner              = var.owner
    CostCenter         = var.cost_center
    DataClassification = var.data_classification
    Compliance         = var.compliance_profile
    ManagedBy          = "terraform"
  }
}

module "stack" {
  source = "../../modules/stack"

  region               = var.region
  project_slug         = var.project_slug
  environment          = var.environment
  gpu_type             = var.gpu_type
  gpu_instance_type    = var.gpu_instance_type
  use_spot             = var.use_spot
  data_retention_days  = var.data_retention_days
  log_retention_days   = var.log_retention_days
  gpu_max_nodes        = var.gpu_max_nodes
  api_allowed_cidrs    = var.api_allowed_cidrs
  kubernetes_namespace = var.kubernetes_namespace
  startup_script       = var.startup_script_file == null ? null : file("${path.module}/${var.startup_script_file}")
  alert_emails         = var.alert_emails
  tags                 = local.tags
}

# The answers (terraform.tfvars). The stack module validates them and describes them in full.
variable "region" {
  description = "AWS region of every resource of the environment."
  type        = string

  # GDPR: personal data stays in the EU (the answer is checked by copier too). Regions of EU
  # member states only: eu-west-2 (London) and eu-central-2 (Zurich) are outside the EU.
  validation {
    condition     = var.compliance_profile != "gdpr" || contains(["eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3"], var.region)
    error_message = "region: expected an EU region such as eu-west-1 or eu-central-1 with compliance_profile gdpr, which keeps the data in the EU (got ${var.region})."
  }
}

variable "project_slug" {
  description = "Project slug: prefix of every resource name."
  type        = string
}

variable "environment" {
  description = "Name of the environment."
  type        = string
}

variable "compliance_profile" {
  description = "Compliance profile (none, gdpr, hipaa): the Compliance tag."
  type        = string
  default     = "none"

  validation {
    condition     = contains(["none", "gdpr", "hipaa"], var.compliance_profile)
    error_message = "compliance_profile: expected none, gdpr or hipaa."
  }

}

{% include 'template/includes/terraform/ownership_variables.tf' %}
variable "gpu_type" {
  description = "GPU from the GPU catalogue."
  type        = string
}

variable "gpu_instance_type" {
  description = "EC2 instance type of the GPU."
  type        = string
}

variable "use_spot" {
  description = "Run GPU capacity on spot instances."
  type        = bool
}

variable "data_retention_days" {
  description = "Days raw and intermediate data are kept."
  type        = number
}

variable "log_retention_days" {
  description = "Days logs are kept."
  type        = number
}

variable "gpu_max_nodes" {
  description = "Most GPU nodes (Kubernetes only; null: the stack's default)."
  type        = number
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

variable "alert_emails" {
  description = "E-mail addresses the alarms notify."
  type        = list(string)
}

variable "startup_script_file" {
  description = "The GPU VM's startup script, relative to this folder: deploy/vm/<cloud>/startup.sh (VM only; null: none)."
  type        = string
  default     = null
}

output "region" {
  description = "AWS region of the environment."
  value       = var.region
}

output "dvc_bucket" {
  description = "DVC remote bucket (s3://<dvc_bucket>)."
  value       = module.stack.dvc_bucket
}

output "models_bucket" {
  description = "Bucket of the model artefacts."
  value       = module.stack.models_bucket
}

output "registry_urls" {
  description = "ECR repository URL per image (train, serve): where CI pushes."
  value       = module.stack.registry_urls
}

output "compute" {
  description = "The GPU compute: the EKS cluster and workload roles, or the GPU instance."
  value       = module.stack.compute
}

# State addresses of projects generated before the stack module existed, when these modules were
# called from this root: `terraform plan` moves them instead of destroying and recreating them.
moved {
  from = module.kms
  to   = module.stack.module.kms
}

moved {
  from = module.network
  to   = module.stack.module.network
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
  from = module.eks
  to   = module.stack.module.eks
}

moved {
  from = module.gpu_vm
  to   = module.stack.module.gpu_vm
}
