# Project-wide Google Cloud resources, applied once by a platform engineer with their own
# credentials, before any environment root: the APIs, the Terraform state bucket, the keyless
# CI identities, the budget, the Data Access audit logs and the bucket that keeps the audit logs.
locals {
  services = concat(
    [
      "artifactregistry.googleapis.com",
      "billingbudgets.googleapis.com",
      "cloudkms.googleapis.com",
      "cloudresourcemanager.googleapis.com",
      "compute.googleapis.com",
      "dns.googleapis.com",
      "iam.googleapis.com",
      "iamcredentials.googleapis.com",
      "logging.googleapis.com",
      "monitoring.googleapis.com",
      "secretmanager.googleapis.com",
      "serviceusage.googleapis.com",
      "storage.googleapis.com",
      "sts.googleapis.com",
    ],
    var.compute_platform == "kubernetes" ? ["container.googleapis.com"] : [],
    var.compute_platform == "kubernetes" && var.compliance_profile == "hipaa" ? ["binaryauthorization.googleapis.com"] : [],
    var.feature_store == "feast" ? ["firestore.googleapis.com"] : [],
  )

  # Data Access audit logs: writes always; reads too where the compliance profile asks for them.
  audit_log_types = var.compliance_profile == "none" ? ["ADMIN_READ", "DATA_WRITE"] : ["ADMIN_READ", "DATA_READ", "DATA_WRITE"]

  labels = { project = var.project_slug }
}

module "project_services" {
  source = "../modules/project_services"

  project_id = var.project_id
  services   = local.services
  service_identities = concat(
    # Secret Manager's agent encrypts the environments' secrets with their CMEK keys.
    ["artifactregistry.googleapis.com", "secretmanager.googleapis.com"],
    var.compute_platform == "kubernetes" ? ["container.googleapis.com"] : [],
    # Firestore's agent encrypts the online feature databases with their CMEK keys.
    var.feature_store == "feast" ? ["firestore.googleapis.com"] : [],
  )
}

data "google_storage_project_service_account" "gcs" {
  project = var.project_id

  depends_on = [module.project_services]
}

module "kms" {
  source = "../modules/kms"

  project_id    = var.project_id
  location      = var.region
  key_ring_name = "${var.project_slug}-tfstate"
  labels        = local.labels

  # One ring for the bootstrap's buckets: the state and the audit logs, each with its own key.
  keys = {
    tfstate = { encrypters = { gcs = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}" } }
    audit   = { encrypters = { gcs = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}" } }
  }
}

module "state" {
  source = "../modules/state"

  project_id = var.project_id
  name       = var.state_bucket
  location   = var.region
  kms_key_id = module.kms.key_ids["tfstate"]
  labels     = local.labels
}

module "identity" {
  source = "../modules/identity"

  project_id                 = var.project_id
  project_slug               = var.project_slug
  ci_provider                = var.ci_provider
  repository                 = var.repository
  pool_id                    = "ci-${var.ci_service_account_prefix}" # "ci-" first: Google reserves the "gcp-" prefix
  service_account_prefix     = var.ci_service_account_prefix
  environments               = var.environments
  state_bucket               = module.state.bucket
  region                     = var.region
  name_prefix                = var.name_prefix
  github_repository_id       = var.github_repository_id
  github_repository_owner_id = var.github_repository_owner_id
  gitlab_project_id          = var.gitlab_project_id
  gitlab_url                 = var.gitlab_url
  # The environments' workload service accounts are made here (modules/identity/workload_accounts.tf).
  compute_platform = var.compute_platform
  data_engine      = var.data_engine
  feature_store    = var.feature_store

  depends_on = [module.project_services]
}

# The humans' access per environment, from the access matrix (policies/access-matrix.yml).
module "human_access" {
  source = "../modules/human_access"

  project_id             = var.project_id
  project_slug           = var.project_slug
  name_prefix            = var.name_prefix
  region                 = var.region
  environments           = var.environments
  state_bucket           = var.state_bucket # the name: no dependency on the bucket
  compute_platform       = var.compute_platform
  grants                 = var.access_grants
  groups                 = var.access_groups
  apply_service_accounts = module.identity.apply_service_accounts

  depends_on = [module.project_services]
}

module "budget" {
  source = "../modules/budget"

  project_id         = var.project_id
  billing_account    = var.billing_account
  name               = "${var.project_slug} monthly budget"
  monthly_budget_usd = var.monthly_budget_usd
  alert_emails       = var.budget_alert_emails

  depends_on = [module.project_services]
}

# Data Access audit logs, and every audit log entry kept audit_retention_days in its own bucket
# (locked under hipaa: audit_retention_locked).
module "audit" {
  source = "../modules/audit"

  project_id        = var.project_id
  services          = ["storage.googleapis.com", "cloudkms.googleapis.com"]
  log_types         = local.audit_log_types
  bucket_name       = "${var.project_id}-audit-logs"
  location          = var.region
  kms_key_id        = module.kms.key_ids["audit"]
  access_log_bucket = module.state.access_logs_bucket
  retention_days    = var.audit_retention_days
  retention_locked  = var.audit_retention_locked
  labels            = local.labels

  depends_on = [module.project_services]
}
