variable "project_id" {
  description = "Google Cloud project id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "region" {
  description = "Google Cloud region of every resource of the environment."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region: expected a Google Cloud region such as us-central1."
  }

  # GDPR: personal data stays in the EU (the answer is checked by copier too). Regions of EU
  # member states only: europe-west2 (London) and europe-west6 (Zurich) are outside the EU.
  validation {
    condition     = var.compliance_profile != "gdpr" || contains(["europe-central2", "europe-north1", "europe-north2", "europe-southwest1", "europe-west1", "europe-west3", "europe-west4", "europe-west8", "europe-west9", "europe-west10", "europe-west12"], var.region)
    error_message = "region: expected an EU region such as europe-west1 or europe-west4 with compliance_profile gdpr, which keeps the data in the EU (got ${var.region})."
  }
}

variable "project_slug" {
  description = "Project slug: prefix of the bucket names, value of the project label."
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

variable "name_prefix" {
  description = "Prefix of the names of the network, key ring, cluster or VM and registry (at most 30 characters, so firewall rule names stay within 63)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,28}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix: expected 2-30 lowercase letters, digits or '-'."
  }
}

variable "service_account_prefix" {
  description = "Prefix of the service account ids, the CI accounts' included (at most 14 characters: ids are at most 30)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,12}[a-z0-9]$", var.service_account_prefix))
    error_message = "service_account_prefix: expected 2-14 lowercase letters, digits or '-'."
  }
}

variable "compliance_profile" {
  description = "Compliance profile: none, gdpr or hipaa (hipaa enforces Binary Authorization on GKE and 6 years of data)."
  type        = string

  validation {
    condition     = contains(["none", "gdpr", "hipaa"], var.compliance_profile)
    error_message = "compliance_profile: expected none, gdpr or hipaa."
  }

}

variable "data_retention_days" {
  description = "Days datasets and access logs are kept."
  type        = number

  validation {
    condition     = var.data_retention_days >= (var.compliance_profile == "hipaa" ? 2190 : 1) && var.data_retention_days <= 3650
    error_message = "data_retention_days: expected 1 to 3650, and 2190 or more with compliance_profile hipaa (records are kept at least 6 years)."
  }
}

variable "gpu_machine_type" {
  description = "Machine type of the GPU nodes or VM, from the GPU catalogue."
  type        = string
}

variable "gpu_accelerator_type" {
  description = "Accelerator of the GPU nodes or VM, from the GPU catalogue."
  type        = string
}

variable "gpu_accelerator_count" {
  description = "Accelerators per GPU node or VM, from the GPU catalogue."
  type        = number

  validation {
    condition     = contains([1, 2, 4, 8, 16], var.gpu_accelerator_count)
    error_message = "gpu_accelerator_count: expected 1, 2, 4, 8 or 16."
  }
}

variable "use_spot" {
  description = "Run GPU capacity on Spot VMs."
  type        = bool
}

# Kubernetes only (kubernetes.tf): ignored by a VM environment.
variable "gpu_max_nodes" {
  description = "Most GPU nodes the GPU pool scales to; it scales to zero when idle (Kubernetes only)."
  type        = number
  default     = 4
  nullable    = false

  validation {
    condition     = var.gpu_max_nodes >= 0 && var.gpu_max_nodes <= 100 && floor(var.gpu_max_nodes) == var.gpu_max_nodes
    error_message = "gpu_max_nodes: expected a whole number from 0 to 100."
  }
}

variable "gpu_zones" {
  description = "Zones of the GPU node pool: zones of the region that offer the accelerator (gcloud compute accelerator-types list; Kubernetes only)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for z in var.gpu_zones : can(regex("^[a-z]+-[a-z]+[0-9]-[a-z]$", z))])
    error_message = "gpu_zones: expected zone names such as us-central1-c."
  }
}

variable "api_allowed_cidrs" {
  description = "Public CIDR blocks allowed to reach the Kubernetes API; empty = private endpoint only (Kubernetes only)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for c in var.api_allowed_cidrs : can(cidrnetmask(c)) && !endswith(c, "/0")])
    error_message = "api_allowed_cidrs: expected IPv4 CIDR blocks, none of them /0."
  }
}

variable "rbac_security_group" {
  description = "Google Groups for RBAC: gke-security-groups@<your domain>, whose member groups the namespace's RoleBindings name (deploy/k8s/overlays/gcp/<env>/human-rolebindings.yaml); empty: no groups in GKE RBAC (Kubernetes only)."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.rbac_security_group == "" || can(regex("^gke-security-groups@[a-z0-9.-]+\\.[a-z]{2,}$", var.rbac_security_group))
    error_message = "rbac_security_group: expected empty or gke-security-groups@<your domain>, such as gke-security-groups@example.com."
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
variable "zone" {
  description = "Zone of the GPU VM: a zone of the region that offers the accelerator (gcloud compute accelerator-types list; VM only)."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.zone == "" || can(regex("^[a-z]+-[a-z]+[0-9]-[a-z]$", var.zone))
    error_message = "zone: expected a zone name such as us-central1-c."
  }
}

variable "os_login_members" {
  description = "IAM members allowed to log in to the GPU VM with OS Login, such as group:ml-engineers@example.com (VM only)."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for m in var.os_login_members : can(regex("^(user|group|serviceAccount):", m))])
    error_message = "os_login_members: expected IAM members such as group:ml-engineers@example.com."
  }
}

variable "startup_script" {
  description = "Shell script the GPU VM runs at boot; null: none (VM only)."
  type        = string
  default     = null
}

variable "alert_emails" {
  description = "E-mail addresses the alert policies notify (one Cloud Monitoring e-mail channel each)."
  type        = list(string)

  validation {
    condition     = length(var.alert_emails) > 0 && alltrue([for email in var.alert_emails : can(regex("^[^@ ]+@[^@ ]+[.][^@ ]+$", email))])
    error_message = "alert_emails: expected at least one e-mail address."
  }
}

variable "gpu_idle_hours" {
  description = "Hours of low GPU (VM: CPU) utilisation after which the idle-cost alert fires."
  type        = number
  default     = 3

  validation {
    condition     = var.gpu_idle_hours >= 1 && var.gpu_idle_hours <= 24
    error_message = "gpu_idle_hours: expected 1 to 24."
  }
}

variable "spark_staging_retention_days" {
  description = "Days the Dataproc Serverless staging bucket keeps batch driver output and Spark event logs (data_engine = spark only)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.spark_staging_retention_days >= 1 && var.spark_staging_retention_days <= 3650
    error_message = "spark_staging_retention_days: expected 1 to 3650 days, such as 30."
  }
}
