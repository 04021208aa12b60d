# Customer-managed encryption keys (CMEK): one key ring, one key per consumer, each rotated,
# protected from deletion, and usable only by the service agents listed for it.
resource "google_kms_key_ring" "this" {
  project  = var.project_id
  name     = var.key_ring_name
  location = var.location
}

resource "google_kms_crypto_key" "this" {
  for_each = var.keys

  name            = each.key
  key_ring        = google_kms_key_ring.this.id
  purpose         = "ENCRYPT_DECRYPT"
  rotation_period = var.rotation_period
  labels          = var.labels

  version_template {
    algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = var.protection_level
  }

  # Destroying a key destroys every byte encrypted with it.
  lifecycle {
    prevent_destroy = true
  }
}

locals {
  # key/label => { key, member }; the labels are static so that for_each is known at plan time.
  encrypters = merge([
    for key, spec in var.keys : {
      for label, member in spec.encrypters : "${key}/${label}" => { key = key, member = member }
    }
  ]...)
}

resource "google_kms_crypto_key_iam_member" "encrypters" {
  for_each = local.encrypters

  crypto_key_id = google_kms_crypto_key.this[each.value.key].id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = each.value.member
}
