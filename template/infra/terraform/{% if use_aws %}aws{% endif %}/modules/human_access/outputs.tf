output "role_arns" {
  description = "\"<env>/<role>\" => ARN of the human role (what the identity provider maps users to)."
  value       = { for key, role in aws_iam_role.human : key => role.arn }
}
