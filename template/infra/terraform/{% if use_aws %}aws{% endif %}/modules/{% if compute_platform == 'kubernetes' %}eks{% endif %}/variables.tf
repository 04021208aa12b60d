variable "name" {
  description = "Cluster name (project and environment)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name: expected 2-41 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane."
  type        = string
  default     = "1.33"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version: expected a minor version such as 1.33."
  }
}

variable "subnet_ids" {
  description = "Private subnets (at least two availability zones) of the control plane and the nodes."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids: expected subnets in at least two availability zones."
  }
}

variable "public_access_cidrs" {
  description = "CIDR blocks allowed to reach the public API endpoint; empty = private endpoint only."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.public_access_cidrs : can(cidrhost(cidr, 0)) && !endswith(cidr, "/0")])
    error_message = "public_access_cidrs: expected IPv4 CIDR blocks, none of them open to the whole internet (/0)."
  }
}

variable "kms_key_arn" {
  description = "KMS key for Kubernetes secrets envelope encryption, the control-plane log group and the nodes' volumes."
  type        = string
}

variable "log_retention_days" {
  description = "Days control-plane logs are kept (a CloudWatch Logs retention value, at least 365)."
  type        = number
  default     = 365

  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days: expected 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the cluster until this is turned off."
  type        = bool
  default     = false
}

variable "admin_role_arns" {
  description = "IAM roles granted cluster-admin through EKS access entries (e.g. the CI apply role)."
  type        = list(string)
  default     = []
}

variable "system_instance_types" {
  description = "Instance types of the CPU system node group (CoreDNS, controllers, serving without GPU)."
  type        = list(string)
  default     = ["m6i.large"]
}

variable "gpu_type" {
  description = "GPU of the GPU node group, as in the GPU catalogue (t4, l4, a10g, a100, h100)."
  type        = string

  validation {
    condition     = contains(["t4", "l4", "a10g", "a100", "h100"], var.gpu_type)
    error_message = "gpu_type: expected one of t4, l4, a10g, a100, h100."
  }
}

variable "gpu_instance_type" {
  description = "EC2 instance type of the GPU node group (from the GPU catalogue)."
  type        = string

  validation {
    condition     = can(regex("^(g4dn|g5|g6|g6e|p4d|p4de|p5|p5e|p5en)\\.[0-9a-z]+$", var.gpu_instance_type))
    error_message = "gpu_instance_type: expected an NVIDIA GPU instance type such as g6.xlarge."
  }
}

variable "gpu_ami_type" {
  description = "EKS AMI type of the GPU nodes: BOTTLEROCKET_x86_64_NVIDIA (ships the device plugin) or AL2023_x86_64_NVIDIA."
  type        = string
  default     = "BOTTLEROCKET_x86_64_NVIDIA"

  validation {
    condition     = contains(["BOTTLEROCKET_x86_64_NVIDIA", "AL2023_x86_64_NVIDIA"], var.gpu_ami_type)
    error_message = "gpu_ami_type: expected BOTTLEROCKET_x86_64_NVIDIA or AL2023_x86_64_NVIDIA (AL2 GPU AMIs are past end of support)."
  }
}

variable "gpu_max_nodes" {
  description = "Most GPU nodes the GPU node group scales to (it scales to zero when idle)."
  type        = number

  validation {
    condition     = var.gpu_max_nodes >= 0 && var.gpu_max_nodes <= 100 && floor(var.gpu_max_nodes) == var.gpu_max_nodes
    error_message = "gpu_max_nodes: expected a whole number from 0 to 100."
  }
}

variable "gpu_disk_size_gb" {
  description = "Size of each GPU node's volume in GiB (images of CUDA frameworks are large)."
  type        = number
  default     = 200

  validation {
    condition     = var.gpu_disk_size_gb >= 50
    error_message = "gpu_disk_size_gb: expected 50 or more."
  }
}

variable "use_spot" {
  description = "Run GPU nodes on spot capacity (cheaper; pods can be interrupted)."
  type        = bool
  default     = true
}

variable "workloads" {
  description = "Kubernetes service accounts that get an IAM role through EKS Pod Identity, with that role's policy (JSON)."
  type = map(object({
    namespace       = string
    service_account = string
    policy_json     = string
  }))
  default = {}
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
