variable "project_id" {
  description = "Google Cloud project id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "region" {
  description = "Region of the stop schedule (the zone's region)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region: expected a Google Cloud region such as us-central1."
  }
}

variable "zone" {
  description = "Zone of the instance (one that offers the accelerator)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]-[a-z]$", var.zone))
    error_message = "zone: expected a zone name such as us-central1-a."
  }
}

variable "name" {
  description = "Name of the instance."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name: expected 3-40 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "subnet_id" {
  description = "Id of the private subnet."
  type        = string
}

variable "machine_type" {
  description = "GPU machine type (from the GPU catalogue)."
  type        = string

  validation {
    condition     = can(regex("^(n1|g2|a2|a3)-[a-z0-9-]+$", var.machine_type))
    error_message = "machine_type: expected a GPU-capable machine type (n1, g2, a2 or a3 family)."
  }
}

variable "accelerator_type" {
  description = "Accelerator type, such as nvidia-tesla-t4 (attached explicitly on N1 machines only)."
  type        = string

  validation {
    condition     = can(regex("^nvidia-[a-z0-9-]+$", var.accelerator_type))
    error_message = "accelerator_type: expected an NVIDIA accelerator type such as nvidia-l4."
  }
}

variable "accelerator_count" {
  description = "Number of GPUs."
  type        = number

  validation {
    condition     = contains([1, 2, 4, 8, 16], var.accelerator_count)
    error_message = "accelerator_count: expected 1, 2, 4, 8 or 16."
  }
}

variable "spot" {
  description = "Run on Spot capacity (cheaper, can be preempted; the instance stops when preempted)."
  type        = bool
  default     = false
}

variable "image_project" {
  description = "Project of the Deep Learning VM images."
  type        = string
  default     = "deeplearning-platform-release"
}

variable "image_family" {
  description = "Deep Learning VM image family (CUDA and the NVIDIA driver preinstalled)."
  type        = string
  default     = "common-cu128-ubuntu-2204-nvidia-570"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,62}$", var.image_family))
    error_message = "image_family: expected an image family name such as common-cu128-ubuntu-2204-nvidia-570."
  }
}

variable "boot_disk_size_gb" {
  description = "Size of the boot disk in GB."
  type        = number
  default     = 200

  validation {
    condition     = var.boot_disk_size_gb >= 50 && var.boot_disk_size_gb <= 65536
    error_message = "boot_disk_size_gb: expected a number from 50 to 65536."
  }
}

variable "disk_kms_key_id" {
  description = "KMS key id of the boot disk (the Compute Engine service agent must be able to use it)."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.disk_kms_key_id))
    error_message = "disk_kms_key_id: expected a key id: projects/P/locations/L/keyRings/R/cryptoKeys/K."
  }
}

variable "enable_secure_boot" {
  description = "Shielded VM Secure Boot (the Deep Learning VM images ship signed NVIDIA drivers)."
  type        = bool
  default     = true
}

variable "stop_schedule" {
  description = "Cron expression of the daily stop (start it again by hand or from CI when needed)."
  type        = string
  default     = "0 20 * * *"

  validation {
    condition     = length(split(" ", var.stop_schedule)) == 5
    error_message = "stop_schedule: expected a cron expression of five fields, such as '0 20 * * *'."
  }
}

variable "time_zone" {
  description = "IANA time zone of the stop schedule."
  type        = string
  default     = "UTC"
}

variable "network_tags" {
  description = "Network tags (the network module lets IAP SSH reach the tag iap-ssh)."
  type        = list(string)
  default     = ["iap-ssh"]
}

variable "os_login_members" {
  description = "IAM members allowed to log in with OS Login (unprivileged), such as group:ml-engineers@example.com."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.os_login_members : can(regex("^(user|group|serviceAccount):", m))])
    error_message = "os_login_members: expected IAM members such as group:ml-engineers@example.com."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the instance."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels of the instance."
  type        = map(string)
  default     = {}
}

variable "service_account_id" {
  description = "Account id of the VM's service account, made by the bootstrap (the part of the email before '@')."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.service_account_id))
    error_message = "service_account_id: expected 6-30 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "service_account_users" {
  description = "Static label => IAM member allowed to attach the instance's service account (the CI apply account)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for m in values(var.service_account_users) : can(regex("^(user|group|serviceAccount):", m))])
    error_message = "service_account_users: expected IAM members such as serviceAccount:ci@project.iam.gserviceaccount.com."
  }
}

variable "startup_script" {
  description = "Shell script the VM runs at every boot (the startup-script metadata key); empty: none."
  type        = string
  default     = ""
  nullable    = false
}

variable "environment" {
  description = "Environment the VM runs (its environment metadata attribute, read by the startup script)."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment: expected dev, staging or prod."
  }
}

variable "image_tag" {
  description = "First value of the image-tag metadata attribute, the image tag the startup script runs (empty: none yet); later values are set by deployments, not Terraform."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = can(regex("^([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$", var.image_tag))
    error_message = "image_tag: expected an image tag such as 3f2a1b4c5d6e, or empty."
  }
}
