# The drift service accounts: per environment, the scheduled drift pipeline impersonates
# <prefix>-cidrift-<env> to read that environment's shipped prediction logs (prediction-logs/<env>/
# of the models bucket, put there by the servers: serve/log_shipping.py) and the training reference
# in its DVC remote. Read only (the environment's modules/stack/ci_drift.tf grants objectViewer on
# those two, nothing here). Impersonable from the protected default branch like the build account:
# a scheduled job must not wait for an environment's reviewers, and the account only reads.
resource "google_service_account" "drift" {
  for_each = var.environments

  project      = var.project_id
  account_id   = "${local.prefix}-cidrift-${each.key}"
  display_name = "CI drift job (read-only), ${each.key}"
}

resource "google_service_account_iam_member" "drift" {
  for_each = var.environments

  service_account_id = google_service_account.drift[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  member             = local.build_principal
}
