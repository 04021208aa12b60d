output "state_bucket" {
  description = "Terraform state bucket of every environment root."
  value       = module.state.id
}

output "ci_plan_role_arns" {
  description = "CI plan role per environment."
  value       = module.identity.plan_role_arns
}

output "ci_apply_role_arns" {
  description = "CI apply role per environment."
  value       = module.identity.apply_role_arns
}

output "cloudtrail_arn" {
  description = "ARN of the account trail."
  value       = module.audit.trail_arn
}

output "ci_build_role_arn" {
  description = "CI image build role (pushes the train and serve images to ECR)."
  value       = module.identity.build_role_arn
}

output "human_role_arns" {
  description = "\"<env>/<role>\" => ARN of the human role the identity provider maps users to."
  value       = module.human_access.role_arns
}
