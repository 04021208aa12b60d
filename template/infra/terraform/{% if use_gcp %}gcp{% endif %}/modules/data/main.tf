# Buckets for the DVC remote (datasets) and for models, plus the bucket that receives their
# access logs. Every bucket: CMEK, uniform bucket-level access, public access prevention
# enforced, versioning, lifecycle rules from the data retention period.
locals {
  buckets = {
    dvc    = { name = var.dvc_bucket_name, delete_live_after_days = var.data_retention_days }
    models = { name = var.models_bucket_name, delete_live_after_days = 0 }
  }
}

resource "google_storage_bucket" "access_logs" {
  project                     = var.project_id
  name                        = var.access_logs_bucket_name
  location                    = var.location
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = merge(var.labels, { purpose = "access-logs" })

  encryption {
    default_kms_key_name = var.kms_key_id
  }

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      age = var.data_retention_days
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.noncurrent_retention_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_storage_bucket" "this" {
  for_each = local.buckets

  project                     = var.project_id
  name                        = each.value.name
  location                    = var.location
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = merge(var.labels, { purpose = each.key })

  encryption {
    default_kms_key_name = var.kms_key_id
  }

  versioning {
    enabled = true
  }

  logging {
    log_bucket        = google_storage_bucket.access_logs.name
    log_object_prefix = each.value.name
  }

  soft_delete_policy {
    retention_duration_seconds = var.soft_delete_days * 86400
  }

  # Live objects expire after the retention period (datasets); models are kept until replaced.
  dynamic "lifecycle_rule" {
    for_each = each.value.delete_live_after_days > 0 ? [each.value.delete_live_after_days] : []
    content {
      condition {
        age = lifecycle_rule.value
      }
      action {
        type = "Delete"
      }
    }
  }

  # Replaced or deleted versions are kept for a while, then removed.
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.noncurrent_retention_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_storage_bucket_iam_member" "readers" {
  for_each = { for pair in setproduct(keys(local.buckets), keys(var.readers)) : "${pair[0]}/${pair[1]}" => { bucket = pair[0], member = var.readers[pair[1]] } }

  bucket = google_storage_bucket.this[each.value.bucket].name
  role   = "roles/storage.objectViewer"
  member = each.value.member
}

resource "google_storage_bucket_iam_member" "writers" {
  for_each = { for pair in setproduct(keys(local.buckets), keys(var.writers)) : "${pair[0]}/${pair[1]}" => { bucket = pair[0], member = var.writers[pair[1]] } }

  bucket = google_storage_bucket.this[each.value.bucket].name
  role   = "roles/storage.objectUser"
  member = each.value.member
}
