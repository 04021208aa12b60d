# Data Access audit logs for the services that hold and protect the project's data. Admin
# Activity logs are always on; these add reads and writes of data and of key usage.
resource "google_project_iam_audit_config" "this" {
  for_each = var.services

  project = var.project_id
  service = each.value

  dynamic "audit_log_config" {
    for_each = var.log_types
    content {
      log_type = audit_log_config.value
    }
  }
}

# --- Where the audit logs are kept. ---------------------------------------------------------------
# Cloud Logging keeps Data Access logs 30 days (_Default) and Admin Activity logs 400 days
# (_Required). A sink copies every Cloud Audit Logs entry (Admin Activity, Data Access, System Event,
# Policy Denied) into a dedicated bucket, kept retention_days under a retention policy: no object
# can be deleted or replaced before it is that old. Locked (retention_locked), not even a project
# owner can shorten or remove the policy, nor delete the bucket before its last object is that old.
resource "google_storage_bucket" "logs" {
  #checkov:skip=CKV_GCP_78:A retention policy and Object Versioning cannot be used together on one bucket; the retention policy is what keeps every object unchanged.
  project                     = var.project_id
  name                        = var.bucket_name
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = merge(var.labels, { purpose = "audit-logs" })

  encryption {
    default_kms_key_name = var.kms_key_id
  }

  retention_policy {
    retention_period = var.retention_days * 86400
    is_locked        = var.retention_locked
  }

  logging {
    log_bucket        = var.access_log_bucket
    log_object_prefix = var.bucket_name
  }

  # Objects go once the retention policy lets them go: the bucket holds retention_days of logs.
  lifecycle_rule {
    condition {
      age = var.retention_days
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_logging_project_sink" "audit" {
  #checkov:skip=CKV2_GCP_4:Bucket Lock cannot be undone, so it is the explicit variable retention_locked (bootstrap audit_retention_locked: true under hipaa, which validation requires; ADR 0018); unlocked, the retention policy still protects every object.
  project                = var.project_id
  name                   = "audit-logs-to-storage"
  description            = "Every Cloud Audit Logs entry, kept ${var.retention_days} days in ${var.bucket_name}"
  destination            = "storage.googleapis.com/${google_storage_bucket.logs.name}"
  filter                 = "logName:\"/logs/cloudaudit.googleapis.com\""
  unique_writer_identity = true
}

# The sink writes through its own service account: create objects in this bucket, nothing else
# (no read, no delete; the retention policy would refuse a delete anyway).
resource "google_storage_bucket_iam_member" "sink" {
  bucket = google_storage_bucket.logs.name
  role   = "roles/storage.objectCreator"
  member = google_logging_project_sink.audit.writer_identity
}
