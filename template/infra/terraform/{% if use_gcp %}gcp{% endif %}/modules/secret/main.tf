# One Secret Manager secret, replicated in the environment's region only and encrypted there with a
# customer-managed key. Terraform creates the secret and never its value: a value written by
# Terraform would also sit in the Terraform state, which more people and CI jobs can read than the
# secret itself. The value is added with gcloud (README).
resource "google_secret_manager_secret" "this" {
  project   = var.project_id
  secret_id = var.secret_id
  labels    = var.labels

  replication {
    user_managed {
      replicas {
        location = var.location

        customer_managed_encryption {
          kms_key_name = var.kms_key_id
        }
      }
    }
  }
}

# Read access on this secret only, never project-wide.
resource "google_secret_manager_secret_iam_member" "readers" {
  for_each = var.readers

  project   = var.project_id
  secret_id = google_secret_manager_secret.this.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = each.value
}
