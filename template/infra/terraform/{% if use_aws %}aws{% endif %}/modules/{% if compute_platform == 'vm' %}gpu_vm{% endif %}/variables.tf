variable "name" {
  description = "Name prefix of the instance and its resources (project and environment)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name: expected 2-41 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "vpc_id" {
  description = "VPC of the instance."
  type        = string
}

variable "subnet_id" {
  description = "Private subnet of the instance (no public IP)."
  type        = string
}

variable "instance_type" {
  description = "EC2 GPU instance type (from the GPU catalogue)."
  type        = string

  validation {
    condition     = can(regex("^(g4dn|g5|g6|g6e|p4d|p4de|p5|p5e|p5en)\\.[0-9a-z]+$", var.instance_type))
    error_message = "instance_type: expected an NVIDIA GPU instance type such as g6.xlarge."
  }
}

variable "ami_ssm_parameter" {
  description = "Public SSM parameter holding the AMI id: the AWS Deep Learning Base AMI (NVIDIA driver, CUDA)."
  type        = string
  default     = "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id"

  validation {
    condition     = startswith(var.ami_ssm_parameter, "/aws/service/")
    error_message = "ami_ssm_parameter: expected a public AWS SSM parameter (/aws/service/...)."
  }
}

variable "root_volume_size_gb" {
  description = "Size of the encrypted root volume in GiB."
  type        = number
  default     = 200

  validation {
    condition     = var.root_volume_size_gb >= 100
    error_message = "root_volume_size_gb: expected 100 or more (the Deep Learning AMI needs it)."
  }
}

variable "kms_key_arn" {
  description = "KMS key of the root volume and the stop schedule."
  type        = string
}

variable "use_spot" {
  description = "Run on spot capacity (cheaper; stops when AWS reclaims the capacity)."
  type        = bool
  default     = true
}

variable "stop_schedule" {
  description = "EventBridge Scheduler expression that stops the instance."
  type        = string
  default     = "cron(0 20 * * ? *)"

  validation {
    condition     = can(regex("^(cron|rate)\\(.+\\)$", var.stop_schedule))
    error_message = "stop_schedule: expected a cron(...) or rate(...) expression."
  }
}

variable "schedule_timezone" {
  description = "Time zone of the stop schedule."
  type        = string
  default     = "UTC"
}

variable "workload_policy_json" {
  description = "IAM policy (JSON) of what training on the instance may reach (data and model buckets)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "startup_script" {
  description = "Shell script the VM runs at its first boot (user data, gzipped and base64-encoded here); null: none."
  type        = string
  default     = null
}

variable "image_tag" {
  description = "First value of the instance's ImageTag tag, the image tag its startup script runs (empty: none yet); later values are set by deployments, not Terraform."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = can(regex("^([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$", var.image_tag))
    error_message = "image_tag: expected an image tag such as 3f2a1b4c5d6e, or empty."
  }
}

variable "endpoints_security_group_id" {
  description = "Security group of the VPC's interface endpoints: the VM's HTTPS goes there."
  type        = string
}

variable "s3_prefix_list_id" {
  description = "Prefix list of the S3 gateway endpoint: the VM reaches S3 through it."
  type        = string
}

variable "internet_egress_reason" {
  description = "Why the VM needs HTTPS to the internet (e.g. \"pip mirror outside AWS\"); empty: no internet egress."
  type        = string
  default     = ""

  validation {
    condition     = length(var.internet_egress_reason) == 0 || length(var.internet_egress_reason) >= 10
    error_message = "internet_egress_reason: expected a sentence of at least 10 characters saying why, or \"\" for none."
  }
}
