# The key that pseudonymises user ids in the prediction log (PREDICTION_LOG_KEY of the model
# server). Terraform creates the secret, not its value (see modules/secret): the value is added once
# with `make prediction-log-key`. No rotation schedule on purpose: a new key unlinks every earlier
# pseudonym from the new ones, which breaks A/B analysis across the change.
module "prediction_log_key" {
  source = "../secret"

  project_id = var.project_id
  secret_id  = "${var.project_slug}-${var.environment}-prediction-log-key"
  location   = var.region
  kms_key_id = module.kms.key_ids["secrets"]
  readers    = local.secret_readers
  labels     = local.labels
}
