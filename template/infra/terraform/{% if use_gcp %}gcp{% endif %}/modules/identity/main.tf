# Keyless CI: a Workload Identity Federation pool and OIDC provider for GitHub Actions or GitLab
# CI/CD that accept tokens of one repository only, and the service accounts CI impersonates:
# plan (read-only, any ref), apply (one per environment, only from jobs of that environment),
# build (pushes images, only from the default branch). No service-account keys exist anywhere.
data "google_project" "this" {
  project_id = var.project_id
}

locals {
  github = var.ci_provider == "github"

  issuer_uri = local.github ? "https://token.actions.githubusercontent.com" : var.gitlab_url

  # Tokens without an environment (plan and build jobs) map to 'none'. GitLab also says whether the
  # environment is protected: an unprotected environment of the same name maps to 'none' too.
  environment_mapping = local.github ? (
    "has(assertion.environment) ? assertion.environment : 'none'"
  ) : "has(assertion.environment) && assertion.environment_protected == 'true' ? assertion.environment : 'none'"

  # tomap: both branches must have one type (object literals with different keys do not).
  attribute_mapping = local.github ? tomap({
    "google.subject"                = "assertion.sub"
    "attribute.repository"          = "assertion.repository"
    "attribute.repository_id"       = "assertion.repository_id"
    "attribute.repository_owner_id" = "assertion.repository_owner_id"
    "attribute.ref"                 = "assertion.ref"
    "attribute.environment"         = local.environment_mapping
    }) : tomap({
    "google.subject"          = "assertion.sub"
    "attribute.project_path"  = "assertion.project_path"
    "attribute.project_id"    = "assertion.project_id"
    "attribute.namespace_id"  = "assertion.namespace_id"
    "attribute.ref"           = "assertion.ref"
    "attribute.ref_protected" = "assertion.ref_protected"
    "attribute.protected_ref" = "assertion.ref_protected == 'true' ? assertion.ref : 'none'"
    "attribute.environment"   = local.environment_mapping
  })

  # Pin the repository by its numeric ids, which survive renames and transfers.
  attribute_condition = local.github ? join(" && ", [
    "assertion.repository_id == '${var.github_repository_id}'",
    "assertion.repository_owner_id == '${var.github_repository_owner_id}'",
    ]) : join(" && ", [
    "assertion.project_id == '${var.gitlab_project_id}'",
  ])

  pool_principal = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.this.name}"
  repository_principal = local.github ? (
    "${local.pool_principal}/attribute.repository_id/${var.github_repository_id}"
  ) : "${local.pool_principal}/attribute.project_id/${var.gitlab_project_id}"

  prefix = trimsuffix(substr(var.service_account_prefix, 0, 14), "-")

  # The build account pushes images: only jobs of the default branch (GitLab: while it is protected).
  build_principal = local.github ? (
    "${local.pool_principal}/attribute.ref/refs/heads/${var.default_branch}"
  ) : "${local.pool_principal}/attribute.protected_ref/${var.default_branch}"

  key_rings = { for env in var.environments : env => "projects/${var.project_id}/locations/${var.region}/keyRings/${var.name_prefix}-${env}" }

  # The roles of one compute platform only: GKE; or the GPU VM's instance, its stop schedule and the
  # failed-training log metric.
  platform_apply_roles = var.compute_platform == "kubernetes" ? [
    "roles/container.clusterAdmin",
  ] : ["roles/compute.instanceAdmin.v1", "roles/logging.configWriter"]

  # The project roles the environment roots grant their workloads, and so all the apply accounts may grant.
  grantable_roles = sort(distinct(concat(
    tolist(var.grantable_roles),
    # GKE nodes (modules/gke).
    var.compute_platform == "kubernetes" ? [
      "roles/autoscaling.metricsWriter", "roles/monitoring.viewer", "roles/stackdriver.resourceMetadata.writer",
    ] : [],
    # Feast: the training (or VM) account materialises, GKE serving reads; conditioned on the database.
    var.feature_store == "feast" ? ["roles/datastore.user"] : [],
    var.feature_store == "feast" && var.compute_platform == "kubernetes" ? ["roles/datastore.viewer"] : [],
    # The Spark account's batches (modules/stack/data_engine.tf).
    var.data_engine == "spark" ? ["roles/dataproc.worker"] : [],
  )))

  apply_roles = merge([
    for env in var.environments : {
      for role in concat(tolist(var.apply_roles), local.platform_apply_roles) : "${env}/${role}" => { env = env, role = role }
    }
  ]...)
}

resource "google_iam_workload_identity_pool" "this" {
  project                   = var.project_id
  workload_identity_pool_id = var.pool_id
  display_name              = substr("CI of ${var.repository}", 0, 32)
  description               = "Keyless CI/CD of ${var.repository}"
}

resource "google_iam_workload_identity_pool_provider" "this" {
  project                            = var.project_id
  workload_identity_pool_id          = google_iam_workload_identity_pool.this.workload_identity_pool_id
  workload_identity_pool_provider_id = var.ci_provider
  display_name                       = local.github ? "GitHub Actions" : "GitLab CI/CD"
  description                        = "OIDC tokens of ${var.repository} only"
  attribute_mapping                  = local.attribute_mapping
  attribute_condition                = local.attribute_condition

  oidc {
    issuer_uri = local.issuer_uri
  }
}

# --- Service accounts. ---------------------------------------------------------------------
resource "google_service_account" "plan" {
  project      = var.project_id
  account_id   = "${local.prefix}-plan"
  display_name = "CI terraform plan (read-only)"
}

resource "google_service_account" "apply" {
  for_each = var.environments

  project      = var.project_id
  account_id   = "${local.prefix}-apply-${each.key}"
  display_name = "CI terraform apply, ${each.key}"
}

resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "${local.prefix}-build"
  display_name = "CI image build and push"
}

# --- Who may impersonate them. ---------------------------------------------------------------
resource "google_service_account_iam_member" "plan" {
  service_account_id = google_service_account.plan.name
  role               = "roles/iam.workloadIdentityUser"
  member             = local.repository_principal
}

resource "google_service_account_iam_member" "apply" {
  for_each = var.environments

  service_account_id = google_service_account.apply[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  # Only jobs that run in this environment (protected by the CI's environment rules).
  member = "${local.pool_principal}/attribute.environment/${each.key}"
}

resource "google_service_account_iam_member" "build" {
  service_account_id = google_service_account.build.name
  role               = "roles/iam.workloadIdentityUser"
  member             = local.build_principal
}

# --- What they may do. -------------------------------------------------------------------------
resource "google_project_iam_member" "plan" {
  for_each = var.plan_roles

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.plan.email}"
}

resource "google_project_iam_member" "apply" {
  for_each = local.apply_roles

  project = var.project_id
  role    = each.value.role
  member  = "serviceAccount:${google_service_account.apply[each.value.env].email}"
}

# Buckets: only this environment's (<project>-<env>-*), and creating them in the project.
resource "google_project_iam_member" "apply_buckets" {
  for_each = var.environments

  project = var.project_id
  role    = "roles/storage.admin"
  member  = "serviceAccount:${google_service_account.apply[each.key].email}"

  condition {
    title       = "${each.key}-buckets"
    description = "Buckets of the ${each.key} environment only"
    expression  = "resource.type == 'cloudresourcemanager.googleapis.com/Project' || resource.name.startsWith('projects/_/buckets/${var.project_slug}-${each.key}-')"
  }
}

# KMS: only this environment's key ring (<name_prefix>-<env>) and its keys, and creating key rings
# in a location (checked on the location, before the ring has a name). No other environment's keys,
# nor the bootstrap's state and audit keys, nor anyone's grants on them.
resource "google_project_iam_member" "apply_keys" {
  for_each = var.environments

  project = var.project_id
  role    = "roles/cloudkms.admin"
  member  = "serviceAccount:${google_service_account.apply[each.key].email}"

  condition {
    title       = "${each.key}-keys"
    description = "The key ring of the ${each.key} environment only"
    expression  = "resource.type == 'cloud.googleapis.com/Location' || resource.name == '${local.key_rings[each.key]}' || resource.name.startsWith('${local.key_rings[each.key]}/')"
  }
}

# Secret Manager: only this environment's secrets (<project>-<env>-*, named by the project number
# in IAM conditions), and creating secrets in the project.
resource "google_project_iam_member" "apply_secrets" {
  for_each = var.environments

  project = var.project_id
  role    = "roles/secretmanager.admin"
  member  = "serviceAccount:${google_service_account.apply[each.key].email}"

  condition {
    title       = "${each.key}-secrets"
    description = "Secrets of the ${each.key} environment only"
    expression  = "resource.type == 'cloudresourcemanager.googleapis.com/Project' || resource.name.startsWith('projects/${data.google_project.this.number}/secrets/${var.project_slug}-${each.key}-')"
  }
}

# Firestore (feature_store = feast): only this environment's online feature database
# (<name_prefix>-<env>-features, modules/stack/feature_store.tf), and creating it in the project.
resource "google_project_iam_member" "apply_feature_store" {
  for_each = var.feature_store == "feast" ? var.environments : toset([])

  project = var.project_id
  role    = "roles/datastore.owner"
  member  = "serviceAccount:${google_service_account.apply[each.key].email}"

  condition {
    title       = "${each.key}-feature-store"
    description = "The online feature database of the ${each.key} environment only"
    expression  = "resource.type == 'cloudresourcemanager.googleapis.com/Project' || resource.name == 'projects/${var.project_id}/databases/${var.name_prefix}-${each.key}-features'"
  }
}

# IAM: the apply accounts may grant the workloads' own roles, nothing else (no escalation to
# owner, editor or any admin role): a condition on the roles a policy change adds or removes.
resource "google_project_iam_member" "apply_grants" {
  for_each = var.environments

  project = var.project_id
  role    = "roles/resourcemanager.projectIamAdmin"
  member  = "serviceAccount:${google_service_account.apply[each.key].email}"

  condition {
    title       = "${each.key}-workload-grants"
    description = "Grant only the roles of the environment's workloads"
    expression  = "api.getAttribute('iam.googleapis.com/modifiedGrantsByRole', []).hasOnly([${join(", ", [for r in local.grantable_roles : "'${r}'"])}])"
  }
}

# Plan takes the state lock, apply writes state: object access on the state bucket only.
resource "google_storage_bucket_iam_member" "state_plan" {
  bucket = var.state_bucket
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.plan.email}"
}

resource "google_storage_bucket_iam_member" "state_apply" {
  for_each = var.environments

  bucket = var.state_bucket
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.apply[each.key].email}"

  # Its own environment's state only (backend prefix gcp/envs/<env>); listing is checked on the bucket.
  condition {
    title       = "${each.key}-state"
    description = "State objects of the ${each.key} environment only"
    expression  = "resource.type == 'storage.googleapis.com/Bucket' || resource.name.startsWith('projects/_/buckets/${var.state_bucket}/objects/gcp/envs/${each.key}/')"
  }
}
