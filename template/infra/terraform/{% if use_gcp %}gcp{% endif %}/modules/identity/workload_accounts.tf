# The service accounts of each environment's workloads (training and serving on GKE and the GKE
# nodes, or the GPU VM; the Spark stages), made here and not in the environment roots. Creating
# service accounts and setting IAM on them needs roles/iam.serviceAccountAdmin, which IAM conditions
# cannot narrow (service accounts have no resource attributes in conditions): granted on the
# project, an environment's apply account could make itself a user of every other service account,
# the other environments' apply accounts included (ADR 0018). Instead each apply account holds, on
# its own environment's accounts only, the custom role below: read them and set who may use them
# (GKE Workload Identity, acting as the node or VM account), which the environment root manages.
#
# The ids are the ones the environment roots read (modules/stack, data "google_service_account"); an
# environment root made these accounts itself before, and create_ignore_already_exists adopts them
# (the environment root forgets them with `removed` blocks, destroy = false).
locals {
  # The environment's resource name prefix, as modules/stack names it (local.name).
  env_names = { for env in var.environments : env => "${var.name_prefix}-${env}" }

  # tomap: both branches of a conditional must have one type.
  workload_kinds = merge(
    var.compute_platform == "kubernetes" ? tomap({
      train = { suffix = "train", display = "Training jobs" }
      serve = { suffix = "serve", display = "Model serving" }
      nodes = { suffix = "nodes", display = "GKE nodes" }
      }) : tomap({
      vm = { suffix = "vm", display = "GPU VM" }
    }),
    var.data_engine == "spark" ? tomap({ spark = { suffix = "spark", display = "Spark stages" } }) : tomap({}),
  )

  workload_accounts = merge([
    for env in var.environments : {
      for kind, spec in local.workload_kinds : "${env}/${kind}" => {
        env = env
        # GKE nodes and the VM are named after the cluster or instance (modules/gke, modules/gpu_vm);
        # the others after the CI accounts' prefix, as the CI accounts are.
        account_id = (
          kind == "nodes" ? "${substr(local.env_names[env], 0, 24)}-nodes" :
          kind == "vm" ? "${substr("${local.env_names[env]}-gpu", 0, 27)}-vm" :
          "${local.prefix}-${spec.suffix}-${env}"
        )
        display_name = "${spec.display}, ${env}"
      }
    }
  ]...)
}

resource "google_service_account" "workload" {
  for_each = local.workload_accounts

  project      = var.project_id
  account_id   = each.value.account_id
  display_name = each.value.display_name
  description  = "Workload of the ${each.value.env} environment (made by the bootstrap; its grants are the environment root's)."

  # Adopt the account an environment root of an earlier version made (see the comment above).
  create_ignore_already_exists = true
}

# Everything the environment root does with its workloads' accounts: read them, and read and set
# their IAM policies (not create, delete, key or impersonate them).
resource "google_project_iam_custom_role" "workload_account_iam" {
  project     = var.project_id
  role_id     = "${replace(local.prefix, "-", "_")}_workload_account_iam"
  title       = "Manage who may use a workload's service account"
  description = "Read a service account and read and set its IAM policy."
  permissions = ["iam.serviceAccounts.get", "iam.serviceAccounts.getIamPolicy", "iam.serviceAccounts.setIamPolicy"]
}

resource "google_service_account_iam_member" "workload_apply" {
  for_each = local.workload_accounts

  service_account_id = google_service_account.workload[each.key].name
  role               = google_project_iam_custom_role.workload_account_iam.id
  member             = "serviceAccount:${google_service_account.apply[each.value.env].email}"
}
