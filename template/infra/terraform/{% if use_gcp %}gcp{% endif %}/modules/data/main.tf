# Buckets for the DVC remote (datasets) and for models, plus the bucket that receives their
# access logs. Every bucket: CMEK, uniform bucket-level access, public access prevention
# enforced, versioning, lifecycle rules from the data retention period.
locals {
  buckets = {
    dvc = { name = var.dvc_bucket_name, delete_live_after_days = var.data_retention_days, prefixes = {} }
    # The servers' prediction logs (personal data, pseudonymised) live as long as the training data.
    models = {
      name                   = var.models_bucket_name
      delete_live_after_days = 0
      prefixes               = { "prediction-logs/" = var.data_retention_days }
    }
  }
}

module "access_logs" {
  source = "../gcs_bucket"

  project_id                = var.project_id
  name                      = var.access_logs_bucket_name
  location                  = var.location
  kms_key_id                = var.kms_key_id
  storage_class             = "STANDARD"
  expire_after_days         = var.data_retention_days
  noncurrent_retention_days = var.noncurrent_retention_days
  labels                    = merge(var.labels, { purpose = "access-logs" })
}

# Live datasets and prediction logs expire after the retention period; models are kept until replaced.
module "buckets" {
  source   = "../gcs_bucket"
  for_each = local.buckets

  project_id                = var.project_id
  name                      = each.value.name
  location                  = var.location
  kms_key_id                = var.kms_key_id
  storage_class             = "STANDARD"
  access_log_bucket         = module.access_logs.name
  expire_after_days         = each.value.delete_live_after_days
  prefix_expiration_days    = each.value.prefixes
  noncurrent_retention_days = var.noncurrent_retention_days
  soft_delete_days          = var.soft_delete_days
  labels                    = merge(var.labels, { purpose = each.key })
}

# Readers (serving) see the models only, never the datasets (docs/access-control.md).
resource "google_storage_bucket_iam_member" "readers" {
  for_each = { for label, member in var.readers : "models/${label}" => { bucket = "models", member = member } }

  bucket = module.buckets[each.value.bucket].name
  role   = "roles/storage.objectViewer"
  member = each.value.member
}

resource "google_storage_bucket_iam_member" "writers" {
  for_each = { for pair in setproduct(keys(local.buckets), keys(var.writers)) : "${pair[0]}/${pair[1]}" => { bucket = pair[0], member = var.writers[pair[1]] } }

  bucket = module.buckets[each.value.bucket].name
  role   = "roles/storage.objectUser"
  member = each.value.member
}

# The buckets were resources of this module before the gcs_bucket module: their state moves.
moved {
  from = google_storage_bucket.access_logs
  to   = module.access_logs.google_storage_bucket.this
}

moved {
  from = google_storage_bucket.this["dvc"]
  to   = module.buckets["dvc"].google_storage_bucket.this
}

moved {
  from = google_storage_bucket.this["models"]
  to   = module.buckets["models"].google_storage_bucket.this
}
