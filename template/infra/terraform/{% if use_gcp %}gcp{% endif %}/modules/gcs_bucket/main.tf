# One Cloud Storage bucket with the controls every bucket of the project has: a customer-managed
# key, uniform bucket-level access, public access prevention enforced, versioning, noncurrent
# versions deleted after a while; optionally access logging, soft delete and expiry of live objects
# (all of them, or those under given prefixes).
resource "google_storage_bucket" "this" {
  project                     = var.project_id
  name                        = var.name
  location                    = var.location
  storage_class               = var.storage_class
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = var.labels

  encryption {
    default_kms_key_name = var.kms_key_id
  }

  versioning {
    enabled = true
  }

  # An access-log bucket (access_log_bucket = null) logs nowhere: a bucket may not log to itself;
  # reads and writes on it are in the Data Access audit logs.
  dynamic "logging" {
    for_each = var.access_log_bucket[*]
    content {
      log_bucket        = logging.value
      log_object_prefix = var.name
    }
  }

  dynamic "soft_delete_policy" {
    for_each = var.soft_delete_days[*]
    content {
      retention_duration_seconds = soft_delete_policy.value * 86400
    }
  }

  dynamic "lifecycle_rule" {
    for_each = var.expire_after_days > 0 ? [var.expire_after_days] : []
    content {
      condition {
        age = lifecycle_rule.value
      }
      action {
        type = "Delete"
      }
    }
  }

  # Objects under a prefix with a shorter life (the prediction logs: the data retention).
  dynamic "lifecycle_rule" {
    for_each = var.prefix_expiration_days
    content {
      condition {
        age            = lifecycle_rule.value
        matches_prefix = [lifecycle_rule.key]
      }
      action {
        type = "Delete"
      }
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
