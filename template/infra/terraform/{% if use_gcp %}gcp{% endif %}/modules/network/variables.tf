variable "project_id" {
  description = "Google Cloud project id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "region" {
  description = "Region of the subnet, router and NAT."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region: expected a Google Cloud region such as us-central1."
  }
}

variable "name" {
  description = "Name of the VPC; prefixes every resource of the module."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,36}[a-z0-9]$", var.name))
    error_message = "name: expected 3-38 lowercase letters, digits or '-', starting with a letter (firewall rule names add up to 25 characters)."
  }
}

variable "subnet_cidr" {
  description = "Primary IPv4 range of the private subnet (nodes and VMs)."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.subnet_cidr))
    error_message = "subnet_cidr: expected an IPv4 CIDR block such as 10.10.0.0/20."
  }
}

variable "pods_cidr" {
  description = "Secondary range for GKE pods."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.pods_cidr))
    error_message = "pods_cidr: expected an IPv4 CIDR block such as 10.11.0.0/16."
  }
}

variable "services_cidr" {
  description = "Secondary range for GKE services."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.services_cidr))
    error_message = "services_cidr: expected an IPv4 CIDR block such as 10.12.0.0/20."
  }
}

variable "control_plane_cidr" {
  description = "The GKE control plane's /28 range, allowed as an internal peer (empty when there is no cluster)."
  type        = string
  default     = ""

  validation {
    condition     = var.control_plane_cidr == "" || can(cidrnetmask(var.control_plane_cidr))
    error_message = "control_plane_cidr: expected empty or an IPv4 CIDR block such as 172.16.0.0/28."
  }
}

variable "flow_log_sampling" {
  description = "Share of flows recorded in the subnet's flow logs (0 < x <= 1)."
  type        = number
  default     = 0.5

  validation {
    condition     = var.flow_log_sampling > 0 && var.flow_log_sampling <= 1
    error_message = "flow_log_sampling: expected a number greater than 0 and at most 1."
  }
}

variable "health_check_ports" {
  description = "TCP ports Google Cloud load-balancer health checks may reach."
  type        = list(string)
  default     = ["8080", "10256"]

  validation {
    condition     = alltrue([for p in var.health_check_ports : can(regex("^[0-9]{1,5}(-[0-9]{1,5})?$", p))])
    error_message = "health_check_ports: expected port numbers or ranges such as 8080 or 30000-32767."
  }
}

variable "iap_ssh_target_tags" {
  description = "Network tags of the instances reachable by SSH through Identity-Aware Proxy."
  type        = list(string)
  default     = ["iap-ssh"]

  validation {
    condition     = length(var.iap_ssh_target_tags) > 0
    error_message = "iap_ssh_target_tags: expected at least one tag (an empty list would open every instance)."
  }
}

variable "https_egress_ranges" {
  description = "Destinations allowed for outbound HTTPS through Cloud NAT; empty (the default): none, Google APIs are reached privately."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.https_egress_ranges : can(cidrnetmask(r))])
    error_message = "https_egress_ranges: expected IPv4 CIDR blocks."
  }
}

variable "https_egress_reason" {
  description = "Why the instances need HTTPS to https_egress_ranges (required when they are set)."
  type        = string
  default     = ""

  validation {
    condition     = length(var.https_egress_ranges) == 0 || length(var.https_egress_reason) >= 10
    error_message = "https_egress_reason: expected a sentence of at least 10 characters saying why https_egress_ranges are open."
  }
}
