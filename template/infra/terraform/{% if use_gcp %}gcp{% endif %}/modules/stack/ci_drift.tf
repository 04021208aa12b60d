# What the CI drift job of this environment may read (its service account, <prefix>-cidrift-<env>,
# and its CI trust are created by the bootstrap, modules/identity/drift.tf): the prediction logs
# the servers ship under prediction-logs/<env>/ of the models bucket, and the DVC remote (the
# training reference). No write anywhere; the buckets' key is used by Cloud Storage's own agent.
locals {
  ci_drift = "serviceAccount:${var.service_account_prefix}-cidrift-${var.environment}@${var.project_id}.iam.gserviceaccount.com"
}

resource "google_storage_bucket_iam_member" "ci_drift_logs" {
  bucket = module.data.models_bucket
  role   = "roles/storage.objectViewer"
  member = local.ci_drift

  condition {
    title       = "prediction-logs-${var.environment}"
    description = "The prediction logs of ${var.environment} only"
    # Listing is a bucket-level call: objects.list is allowed with the prefix the job asks for.
    expression = "resource.name.startsWith('projects/_/buckets/${module.data.models_bucket}/objects/prediction-logs/${var.environment}/') || resource.type == 'storage.googleapis.com/Bucket'"
  }
}

resource "google_storage_bucket_iam_member" "ci_drift_reference" {
  bucket = module.data.dvc_bucket
  role   = "roles/storage.objectViewer"
  member = local.ci_drift
}
