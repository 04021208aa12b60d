output "arn" {
  description = "ARN of the secret (what IAM policies grant secretsmanager:GetSecretValue on)."
  value       = aws_secretsmanager_secret.this.arn
}

output "name" {
  description = "Name of the secret (aws secretsmanager get-secret-value --secret-id <name>)."
  value       = aws_secretsmanager_secret.this.name
}
