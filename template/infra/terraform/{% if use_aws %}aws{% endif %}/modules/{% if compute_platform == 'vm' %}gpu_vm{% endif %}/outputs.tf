output "instance_id" {
  description = "Id of the GPU instance (aws ssm start-session --target ...)."
  value       = aws_instance.this.id
}

output "role_arn" {
  description = "IAM role of the instance."
  value       = aws_iam_role.instance.arn
}

output "launch_template_id" {
  description = "Id of the launch template."
  value       = aws_launch_template.this.id
}
