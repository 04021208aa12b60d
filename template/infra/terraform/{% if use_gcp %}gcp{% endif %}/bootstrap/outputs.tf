output "state_bucket" {
  description = "Terraform state bucket of every environment root (backend \"gcs\")."
  value       = module.state.bucket
}

output "workload_identity_provider" {
  description = "Workload Identity provider for CI authentication (google-github-actions/auth workload_identity_provider)."
  value       = module.identity.workload_identity_provider
}

output "ci_audience" {
  description = "Audience of the CI's OIDC token (GitLab id_tokens aud)."
  value       = module.identity.audience
}

output "ci_plan_service_account" {
  description = "Service account CI impersonates for terraform plan."
  value       = module.identity.plan_service_account
}

output "ci_apply_service_accounts" {
  description = "Environment => service account CI impersonates for terraform apply."
  value       = module.identity.apply_service_accounts
}

output "ci_build_service_account" {
  description = "Service account CI impersonates to build and push images."
  value       = module.identity.build_service_account
}

output "budget_id" {
  description = "Id of the billing budget."
  value       = module.budget.budget_id
}
