# One Google Cloud environment: its network, keys, image registry and data buckets, and the GPU
# compute (kubernetes.tf or vm.tf, the one the project was generated with), wired from the modules
# beside this one. Project-wide pieces (APIs, CI identities, state bucket, budget, audit logs) live
# in bootstrap/.

data "google_project" "this" {
  project_id = var.project_id
}

data "google_storage_project_service_account" "gcs" {
  project = var.project_id
}

locals {
  name = "${var.name_prefix}-${var.environment}"
  labels = {
    project     = var.project_slug
    environment = var.environment
    compliance  = var.compliance_profile
  }

  # Address plan per environment: distinct ranges, so that the VPCs can be peered later.
  address_plans = {
    dev     = { subnet = "10.10.0.0/20", pods = "10.11.0.0/16", services = "10.12.0.0/20", control_plane = "172.16.0.0/28" }
    staging = { subnet = "10.20.0.0/20", pods = "10.21.0.0/16", services = "10.22.0.0/20", control_plane = "172.16.0.16/28" }
    prod    = { subnet = "10.30.0.0/20", pods = "10.31.0.0/16", services = "10.32.0.0/20", control_plane = "172.16.0.32/28" }
  }
  address_plan = local.address_plans[var.environment]

  # Google-managed service agents that encrypt with the customer-managed keys.
  gcs_agent     = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
  ar_agent      = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-artifactregistry.iam.gserviceaccount.com"
  compute_agent = "serviceAccount:service-${data.google_project.this.number}@compute-system.iam.gserviceaccount.com"
  secrets_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-secretmanager.iam.gserviceaccount.com" # pragma: allowlist secret (an account name)

  # CI identities created by the bootstrap root (modules/identity).
  ci_apply = "serviceAccount:${var.service_account_prefix}-apply-${var.environment}@${var.project_id}.iam.gserviceaccount.com"
  ci_build = "serviceAccount:${var.service_account_prefix}-build@${var.project_id}.iam.gserviceaccount.com"
}

module "network" {
  source = "../network"

  project_id         = var.project_id
  region             = var.region
  name               = local.name
  subnet_cidr        = local.address_plan.subnet
  pods_cidr          = local.address_plan.pods
  services_cidr      = local.address_plan.services
  control_plane_cidr = local.control_plane_cidr
}

module "kms" {
  source = "../kms"

  project_id    = var.project_id
  location      = var.region
  key_ring_name = local.name
  labels        = local.labels

  keys = merge(
    {
      storage  = { encrypters = { gcs = local.gcs_agent } }
      registry = { encrypters = { artifactregistry = local.ar_agent } }
      disks    = { encrypters = { compute = local.compute_agent } }
      secrets  = { encrypters = { secretmanager = local.secrets_agent } }
    },
    local.compute_keys,
    local.feature_store_keys,
  )
}

module "registry" {
  source = "../registry"

  project_id = var.project_id
  region     = var.region
  name       = local.name
  kms_key_id = module.kms.key_ids["registry"]
  labels     = local.labels
  readers    = local.image_pullers
  writers    = { ci_build = local.ci_build }
}

module "data" {
  source = "../data"

  project_id              = var.project_id
  location                = var.region
  dvc_bucket_name         = "${var.project_slug}-${var.environment}-dvc"
  models_bucket_name      = "${var.project_slug}-${var.environment}-models"
  access_logs_bucket_name = "${var.project_slug}-${var.environment}-access-logs"
  kms_key_id              = module.kms.key_ids["storage"]
  data_retention_days     = var.data_retention_days
  labels                  = local.labels
  readers                 = local.data_readers
  writers                 = local.data_writers
}
