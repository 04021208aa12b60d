output "oidc_provider_arn" {
  description = "ARN of the CI OIDC identity provider."
  value       = aws_iam_openid_connect_provider.ci.arn
}

output "plan_role_arns" {
  description = "Plan role ARN per environment (CI: role-to-assume for terraform plan)."
  value       = { for env in var.environments : env => aws_iam_role.ci["${env}-plan"].arn }
}

output "apply_role_arns" {
  description = "Apply role ARN per environment (CI: role-to-assume for terraform apply and deploys)."
  value       = { for env in var.environments : env => aws_iam_role.ci["${env}-apply"].arn }
}

output "build_role_arn" {
  description = "Image build role ARN (CI: role-to-assume for pushing the train and serve images)."
  value       = aws_iam_role.build.arn
}

output "apply_policy_json" {
  description = "Environment => policy of its apply role (the break-glass role of the environment holds the same)."
  value       = { for env in var.environments : env => data.aws_iam_policy_document.apply[env].json }
}

output "apply_boundary_arns" {
  description = "Environment => permissions boundary of its apply role."
  value       = { for env in var.environments : env => aws_iam_policy.boundary[env].arn }
}
