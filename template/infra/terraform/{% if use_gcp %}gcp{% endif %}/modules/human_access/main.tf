# The humans' access, per environment, for the Google groups of the organisation: data scientists,
# ML engineers, platform engineers and the platform engineers' break-glass group. The levels come
# from the access matrix (policies/access-matrix.yml, passed in as `grants`); every grant is held
# to one environment's resources by an IAM condition, so it can be made before the environment
# exists. Writers get a custom role without delete (predefined objectUser is broader). In prod
# every group but break-glass reads only; break-glass may impersonate the environment's CI apply
# account, i.e. do by hand what the pipeline does.

locals {
  humans = ["data_scientist", "ml_engineer", "platform_engineer"]

  # Matrix resource -> (bucket-name prefix it lives in, object prefix) of an environment.
  buckets = {
    for env in var.environments : env => {
      dvc_remote          = "projects/_/buckets/${var.project_slug}-${env}-dvc"
      models              = "projects/_/buckets/${var.project_slug}-${env}-models"
      experiment_tracking = "projects/_/buckets/${var.project_slug}-${env}-models/objects/mlflow/"
      terraform_state     = "projects/_/buckets/${var.state_bucket}/objects/gcp/envs/${env}/"
    }
  }

  storage_roles = {
    read  = "roles/storage.objectViewer"
    write = google_project_iam_custom_role.data_writer.id
  }

  # (env, role, resource) -> binding, for every group given and every level above none.
  storage_grants = merge([
    for env in var.environments : {
      for pair in setproduct(local.humans, keys(local.buckets[env])) :
      "${env}/${pair[0]}/${pair[1]}" => {
        env = env, role = pair[0], resource = pair[1], level = var.grants[env][pair[0]][pair[1]]
      }
      if contains(keys(var.groups), pair[0]) && contains(["read", "write"], try(var.grants[env][pair[0]][pair[1]], "none"))
    }
  ]...)

  registry_grants = merge([
    for env in var.environments : {
      for role in local.humans : "${env}/${role}" => { env = env, role = role }
      if contains(keys(var.groups), role) && contains(["read", "write"], try(var.grants[env][role]["registry"], "none"))
    }
  ]...)

  # Project-wide views (logs, clusters or VMs): no environment in their resource names.
  viewer_roles = {
    logs    = "roles/logging.viewer"
    compute = var.compute_platform == "kubernetes" ? "roles/container.clusterViewer" : "roles/compute.viewer"
  }
  viewer_grants = {
    for pair in setproduct(local.humans, keys(local.viewer_roles)) : "${pair[0]}/${pair[1]}" => { role = pair[0], resource = pair[1] }
    if contains(keys(var.groups), pair[0]) && anytrue([for env in var.environments : contains(["read", "write"], try(var.grants[env][pair[0]][pair[1]], "none"))])
  }
}

# Write data without deleting it: DVC pushes and MLflow runs create objects; gc is an admin task.
resource "google_project_iam_custom_role" "data_writer" {
  project     = var.project_id
  role_id     = "${replace(var.project_slug, "-", "_")}_data_writer"
  title       = "${var.project_slug} data writer"
  description = "Read, list and create objects (no delete, no bucket settings): the matrix's write level for humans."
  permissions = [
    "storage.objects.get", "storage.objects.list", "storage.objects.create", "storage.multipartUploads.create",
    "storage.multipartUploads.abort", "storage.multipartUploads.listParts", "storage.buckets.get",
  ]
}

resource "google_project_iam_member" "storage" {
  for_each = local.storage_grants

  project = var.project_id
  role    = local.storage_roles[each.value.level]
  member  = var.groups[each.value.role]

  condition {
    title       = substr("${each.value.env}-${each.value.resource}", 0, 100)
    description = "${each.value.role}: ${each.value.level} on ${each.value.resource} of ${each.value.env}"
    expression  = "resource.name.startsWith('${local.buckets[each.value.env][each.value.resource]}')"
  }
}

resource "google_project_iam_member" "registry" {
  for_each = local.registry_grants

  project = var.project_id
  role    = "roles/artifactregistry.reader"
  member  = var.groups[each.value.role]

  condition {
    title       = "${each.value.env}-registry"
    description = "Images of the ${each.value.env} environment"
    expression  = "resource.name.startsWith('projects/${var.project_id}/locations/${var.region}/repositories/${var.name_prefix}-${each.value.env}')"
  }
}

resource "google_project_iam_member" "viewers" {
  for_each = local.viewer_grants

  project = var.project_id
  role    = local.viewer_roles[each.value.resource]
  member  = var.groups[each.value.role]
}

# Break-glass: impersonate the environment's CI apply account (short-lived tokens, audit-logged).
resource "google_service_account_iam_member" "break_glass" {
  for_each = contains(keys(var.groups), "break_glass") ? var.apply_service_accounts : {}

  service_account_id = "projects/${var.project_id}/serviceAccounts/${each.value}"
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = var.groups["break_glass"]
}
