# The bucket that holds every environment root's Terraform state (backend "gcs"): CMEK,
# versioned (every state version can be restored), uniform access, never public, access-logged.
module "access_logs" {
  source = "../gcs_bucket"

  project_id        = var.project_id
  name              = "${var.name}-access-logs"
  location          = var.location
  kms_key_id        = var.kms_key_id
  expire_after_days = var.log_retention_days
  labels            = merge(var.labels, { purpose = "access-logs" })
}

# Not the gcs_bucket module: the state bucket keeps its own lifecycle (prevent_destroy, and state
# versions counted rather than aged), which a shared module cannot set per caller.
resource "google_storage_bucket" "state" {
  project                     = var.project_id
  name                        = var.name
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = merge(var.labels, { purpose = "terraform-state" })

  encryption {
    default_kms_key_name = var.kms_key_id
  }

  versioning {
    enabled = true
  }

  logging {
    log_bucket        = module.access_logs.name
    log_object_prefix = var.name
  }

  # Old state versions are kept long enough to recover from a bad apply.
  lifecycle_rule {
    condition {
      num_newer_versions = var.state_versions_kept
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  lifecycle {
    prevent_destroy = true
  }
}

moved {
  from = google_storage_bucket.access_logs
  to   = module.access_logs.google_storage_bucket.this
}
