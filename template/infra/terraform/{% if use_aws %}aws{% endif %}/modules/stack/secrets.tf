# The key that pseudonymises user ids in the prediction log (PREDICTION_LOG_KEY of the model
# server). Terraform creates the secret, not its value (see modules/secret): the value is put once
# with `make prediction-log-key`. Automatic rotation is off on purpose: a new key unlinks every
# earlier pseudonym from the new ones, which breaks A/B analysis across the change.
module "prediction_log_key" {
  source = "../secret"

  name        = "${local.name}-prediction-log-key"
  description = "PREDICTION_LOG_KEY of ${local.name}: HMAC key that pseudonymises user ids in the prediction log"
  kms_key_arn = module.kms.key_arn
  tags        = var.tags
}
