output "key_ring_id" {
  description = "Id of the key ring."
  value       = google_kms_key_ring.this.id
}

output "key_ids" {
  description = "Key name => key id, available once the encrypters have been granted (use it as a CMEK key name)."
  value       = { for name, key in google_kms_crypto_key.this : name => key.id }

  # Consumers must not use a key before its service agent may use it.
  depends_on = [google_kms_crypto_key_iam_member.encrypters]
}
