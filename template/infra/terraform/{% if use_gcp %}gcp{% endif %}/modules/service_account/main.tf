# The grants of a workload's service account (no keys): project roles it needs, and the Kubernetes
# service accounts that may act as it through GKE Workload Identity. The account itself is made by
# the bootstrap (modules/identity/workload_accounts.tf): the apply account cannot create accounts.
data "google_service_account" "this" {
  project    = var.project_id
  account_id = var.account_id
}

# Versions before the bootstrap made it created it here: forget it, do not delete it.
removed {
  from = google_service_account.this

  lifecycle {
    destroy = false
  }
}

resource "google_project_iam_member" "this" {
  for_each = var.project_roles

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${data.google_service_account.this.email}"
}

resource "google_service_account_iam_member" "workload_identity" {
  for_each = var.kubernetes_service_accounts

  service_account_id = data.google_service_account.this.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[${each.value}]"
}
