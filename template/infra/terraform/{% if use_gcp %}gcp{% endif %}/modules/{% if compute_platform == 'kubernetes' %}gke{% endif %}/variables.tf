variable "project_id" {
  description = "Google Cloud project id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "region" {
  description = "Region of the (regional) cluster."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region: expected a Google Cloud region such as us-central1."
  }
}

variable "name" {
  description = "Name of the cluster."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name: expected 3-40 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "network_id" {
  description = "Id of the VPC."
  type        = string
}

variable "subnet_id" {
  description = "Id of the private subnet the nodes live in."
  type        = string
}

variable "subnet_cidr" {
  description = "Primary range of the private subnet (always an authorized network of the control plane)."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.subnet_cidr))
    error_message = "subnet_cidr: expected an IPv4 CIDR block."
  }
}

variable "pods_range_name" {
  description = "Name of the subnet's secondary range for pods."
  type        = string
}

variable "services_range_name" {
  description = "Name of the subnet's secondary range for services."
  type        = string
}

variable "control_plane_cidr" {
  description = "The /28 range of the control plane's private endpoint."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.control_plane_cidr)) && endswith(var.control_plane_cidr, "/28")
    error_message = "control_plane_cidr: expected an IPv4 /28 block such as 172.16.0.0/28."
  }
}

variable "authorized_cidrs" {
  description = "Public CIDR blocks allowed to reach the Kubernetes API; empty = private endpoint only."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.authorized_cidrs : can(cidrnetmask(c)) && !endswith(c, "/0")])
    error_message = "authorized_cidrs: expected IPv4 CIDR blocks, none of them /0."
  }
}

variable "release_channel" {
  description = "GKE release channel."
  type        = string
  default     = "REGULAR"

  validation {
    condition     = contains(["RAPID", "REGULAR", "STABLE"], var.release_channel)
    error_message = "release_channel: expected RAPID, REGULAR or STABLE."
  }
}

variable "secrets_kms_key_id" {
  description = "KMS key id for application-layer encryption of Kubernetes secrets."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.secrets_kms_key_id))
    error_message = "secrets_kms_key_id: expected a key id: projects/P/locations/L/keyRings/R/cryptoKeys/K."
  }
}

variable "disk_kms_key_id" {
  description = "KMS key id for the nodes' boot disks (the Compute Engine service agent must be able to use it)."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.disk_kms_key_id))
    error_message = "disk_kms_key_id: expected a key id: projects/P/locations/L/keyRings/R/cryptoKeys/K."
  }
}

variable "enable_binary_authorization" {
  description = "Enforce the project's Binary Authorization policy on deployed images."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Refuse to destroy the cluster."
  type        = bool
  default     = true
}

variable "system_machine_type" {
  description = "Machine type of the system pool."
  type        = string
  default     = "e2-standard-4"
}

variable "system_max_nodes" {
  description = "Maximum number of nodes of the system pool (across zones)."
  type        = number
  default     = 3

  validation {
    condition     = var.system_max_nodes >= 1 && var.system_max_nodes <= 100 && floor(var.system_max_nodes) == var.system_max_nodes
    error_message = "system_max_nodes: expected a whole number from 1 to 100."
  }
}

variable "gpu_machine_type" {
  description = "Machine type of the GPU pool (from the GPU catalogue)."
  type        = string

  validation {
    condition     = can(regex("^(n1|g2|a2|a3)-[a-z0-9-]+$", var.gpu_machine_type))
    error_message = "gpu_machine_type: expected a GPU-capable machine type (n1, g2, a2 or a3 family)."
  }
}

variable "gpu_accelerator_type" {
  description = "Accelerator type attached to each GPU node, such as nvidia-l4."
  type        = string

  validation {
    condition     = can(regex("^nvidia-[a-z0-9-]+$", var.gpu_accelerator_type))
    error_message = "gpu_accelerator_type: expected an NVIDIA accelerator type such as nvidia-l4."
  }
}

variable "gpu_accelerator_count" {
  description = "GPUs per node."
  type        = number

  validation {
    condition     = contains([1, 2, 4, 8, 16], var.gpu_accelerator_count)
    error_message = "gpu_accelerator_count: expected 1, 2, 4, 8 or 16."
  }
}

variable "gpu_driver_version" {
  description = "NVIDIA driver GKE installs on GPU nodes: DEFAULT or LATEST."
  type        = string
  default     = "LATEST"

  validation {
    condition     = contains(["DEFAULT", "LATEST"], var.gpu_driver_version)
    error_message = "gpu_driver_version: expected DEFAULT or LATEST."
  }
}

variable "gpu_max_nodes" {
  description = "Maximum number of GPU nodes (across zones); the pool scales to zero when idle."
  type        = number

  validation {
    condition     = var.gpu_max_nodes >= 0 && var.gpu_max_nodes <= 100 && floor(var.gpu_max_nodes) == var.gpu_max_nodes
    error_message = "gpu_max_nodes: expected a whole number from 0 to 100."
  }
}

variable "gpu_spot" {
  description = "Run GPU nodes on Spot capacity (cheaper, can be preempted)."
  type        = bool
  default     = false
}

variable "gpu_node_locations" {
  description = "Zones of the GPU pool (zones of the region that offer the accelerator); empty = the cluster's zones."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for z in var.gpu_node_locations : can(regex("^[a-z]+-[a-z]+[0-9]-[a-z]$", z))])
    error_message = "gpu_node_locations: expected zone names such as us-central1-a."
  }
}

variable "labels" {
  description = "Labels applied to the cluster and its nodes."
  type        = map(string)
  default     = {}
}

variable "node_service_account_id" {
  description = "Account id of the nodes' service account, made by the bootstrap (the part of the email before '@')."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.node_service_account_id))
    error_message = "node_service_account_id: expected 6-30 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "service_account_users" {
  description = "Static label => IAM member allowed to attach the nodes' service account (the CI apply account)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for m in values(var.service_account_users) : can(regex("^(user|group|serviceAccount):", m))])
    error_message = "service_account_users: expected IAM members such as serviceAccount:ci@project.iam.gserviceaccount.com."
  }
}

variable "rbac_security_group" {
  description = "Google Groups for RBAC: gke-security-groups@<your domain>, or empty to grant RBAC to users and service accounts only."
  type        = string
  default     = ""

  validation {
    condition     = var.rbac_security_group == "" || can(regex("^gke-security-groups@[a-z0-9.-]+\\.[a-z]{2,}$", var.rbac_security_group))
    error_message = "rbac_security_group: expected empty or gke-security-groups@<your domain>."
  }
}
