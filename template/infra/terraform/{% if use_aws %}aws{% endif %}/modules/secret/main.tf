# One Secrets Manager secret encrypted with a customer-managed key. Terraform creates the secret and
# never its value: a value written by Terraform would also sit in the Terraform state, which more
# people and CI jobs can read than the secret itself. The value is put with the AWS CLI (README).
resource "aws_secretsmanager_secret" "this" {
  name                    = var.name
  description             = var.description
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_days
  tags                    = var.tags
}
