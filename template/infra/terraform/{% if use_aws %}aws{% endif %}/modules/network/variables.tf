variable "name" {
  description = "Name prefix of every network resource (project and environment)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,50}$", var.name))
    error_message = "name: expected 2-51 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "region" {
  description = "AWS region of the VPC (names the VPC endpoint services)."
  type        = string
}

variable "cidr_block" {
  description = "IPv4 CIDR block of the VPC (a /16 gives /20 private subnets)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && tonumber(split("/", var.cidr_block)[1]) <= 20
    error_message = "cidr_block: expected an IPv4 CIDR block of /20 or larger, e.g. 10.0.0.0/16."
  }
}

variable "availability_zones" {
  description = "Availability zones (names) the subnets span: 2 to 4 zones of the region."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2 && length(var.availability_zones) <= 4 && length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "availability_zones: expected 2 to 4 distinct zone names such as [\"us-east-1a\", \"us-east-1b\"]."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper) instead of one per zone (zone-resilient)."
  type        = bool
  default     = true
}

variable "interface_endpoint_services" {
  description = "AWS services reached through interface VPC endpoints: ECR, Secrets Manager (the prediction-log key), Session Manager, CloudWatch Logs and metrics (a failed training run on the VM), and STS, so that nothing needs the internet."
  type        = list(string)
  default     = ["ecr.api", "ecr.dkr", "ssm", "ssmmessages", "ec2messages", "logs", "monitoring", "sts", "secretsmanager"]

  validation {
    condition     = alltrue([for service in var.interface_endpoint_services : can(regex("^[a-z0-9.-]+$", service))])
    error_message = "interface_endpoint_services: expected service names such as ecr.api, ecr.dkr, sts."
  }
}

variable "private_subnet_tags" {
  description = "Extra tags on the private subnets (e.g. the EKS internal load balancer role)."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the flow-log group."
  type        = string
}

variable "log_retention_days" {
  description = "Days the flow logs are kept (a CloudWatch Logs retention value, at least 365)."
  type        = number
  default     = 365

  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days: expected a CloudWatch Logs retention of at least a year: 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
