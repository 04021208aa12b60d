variable "region" {
  description = "AWS region of every resource of the environment."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}-[a-z]+-[0-9]$", var.region))
    error_message = "region: expected an AWS region such as us-east-1."
  }
}

variable "project_slug" {
  description = "Project slug: prefix of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.project_slug))
    error_message = "project_slug: expected 3-40 lowercase letters, digits or '-'."
  }
}

variable "environment" {
  description = "Name of the environment."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment: expected dev, staging or prod."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the environment's VPC."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "vpc_cidr: expected an IPv4 CIDR block such as 10.0.0.0/16."
  }
}

variable "gpu_type" {
  description = "GPU from the GPU catalogue (t4, l4, a10g, a100, h100)."
  type        = string

  validation {
    condition     = contains(["t4", "l4", "a10g", "a100", "h100"], var.gpu_type)
    error_message = "gpu_type: expected one of t4, l4, a10g, a100, h100."
  }
}

variable "gpu_instance_type" {
  description = "EC2 instance type of the GPU from the GPU catalogue."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*[.][a-z0-9]+$", var.gpu_instance_type))
    error_message = "gpu_instance_type: expected an EC2 instance type such as g6.xlarge."
  }
}

variable "use_spot" {
  description = "Run GPU capacity on spot instances."
  type        = bool
}

variable "data_retention_days" {
  description = "Days raw and intermediate data are kept before they expire."
  type        = number

  validation {
    condition     = var.data_retention_days >= 1 && var.data_retention_days <= 3650
    error_message = "data_retention_days: expected 1 to 3650."
  }
}

variable "log_retention_days" {
  description = "Days flow logs and control-plane logs are kept (at least a year; 6 years for HIPAA)."
  type        = number

  validation {
    condition     = var.log_retention_days >= 365
    error_message = "log_retention_days: expected 365 or more."
  }
}

variable "tags" {
  description = "Tags of every resource (the provider's default tags, repeated where a module derives names or tags from them)."
  type        = map(string)
  default     = {}
}

# Kubernetes only (kubernetes.tf): ignored by a VM environment.
variable "gpu_max_nodes" {
  description = "Most GPU nodes the GPU node group scales to (Kubernetes only)."
  type        = number
  default     = 4
  nullable    = false

  validation {
    condition     = var.gpu_max_nodes >= 0 && var.gpu_max_nodes <= 100 && floor(var.gpu_max_nodes) == var.gpu_max_nodes
    error_message = "gpu_max_nodes: expected a whole number from 0 to 100."
  }
}

variable "api_allowed_cidrs" {
  description = "CIDR blocks allowed to reach the public Kubernetes API endpoint; empty = private only (Kubernetes only)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for c in var.api_allowed_cidrs : can(cidrnetmask(c)) && !endswith(c, "/0")])
    error_message = "api_allowed_cidrs: expected IPv4 CIDR blocks, none of them /0."
  }
}

variable "kubernetes_namespace" {
  description = "Namespace of the training and serving workloads; their service accounts are trainer and server (Kubernetes only)."
  type        = string
  default     = "default"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.kubernetes_namespace))
    error_message = "kubernetes_namespace: expected a Kubernetes namespace name."
  }
}

# VM only (vm.tf): ignored by a Kubernetes environment.
variable "startup_script" {
  description = "Shell script the GPU VM runs at boot; null: none (VM only)."
  type        = string
  default     = null
}

variable "alert_emails" {
  description = "E-mail addresses the alarms notify (each confirms its SNS subscription once)."
  type        = list(string)

  validation {
    condition     = length(var.alert_emails) > 0 && alltrue([for email in var.alert_emails : can(regex("^[^@ ]+@[^@ ]+[.][^@ ]+$", email))])
    error_message = "alert_emails: expected at least one e-mail address."
  }
}

variable "gpu_idle_hours" {
  description = "Hours of low GPU (VM: CPU) utilisation after which the idle-cost alarm fires."
  type        = number
  default     = 3

  validation {
    condition     = var.gpu_idle_hours >= 1 && var.gpu_idle_hours <= 24
    error_message = "gpu_idle_hours: expected 1 to 24."
  }
}

variable "spark_max_vcpu" {
  description = "Most vCPUs the EMR Serverless Spark application runs at once (4 GB of memory each; data_engine = spark only)."
  type        = number
  default     = 32
  nullable    = false

  validation {
    condition     = var.spark_max_vcpu >= 4 && var.spark_max_vcpu <= 4000 && floor(var.spark_max_vcpu) == var.spark_max_vcpu
    error_message = "spark_max_vcpu: expected a whole number from 4 to 4000, such as 32."
  }
}

variable "spark_idle_timeout_minutes" {
  description = "Idle minutes after which the EMR Serverless application stops (data_engine = spark only)."
  type        = number
  default     = 15
  nullable    = false

  validation {
    condition     = var.spark_idle_timeout_minutes >= 1 && var.spark_idle_timeout_minutes <= 10080
    error_message = "spark_idle_timeout_minutes: expected 1 to 10080 minutes, such as 15."
  }
}
