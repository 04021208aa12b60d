output "workload_identity_provider" {
  description = "Full name of the provider: the workload_identity_provider input of google-github-actions/auth, or the GitLab audience path."
  value       = google_iam_workload_identity_pool_provider.this.name
}

output "audience" {
  description = "Audience CI tokens must carry (GitLab id_tokens aud)."
  value       = "https://iam.googleapis.com/${google_iam_workload_identity_pool_provider.this.name}"
}

output "plan_service_account" {
  description = "Email of the read-only plan account."
  value       = google_service_account.plan.email
}

output "apply_service_accounts" {
  description = "Environment => email of its apply account."
  value       = { for env, sa in google_service_account.apply : env => sa.email }
}

output "build_service_account" {
  description = "Email of the image build account."
  value       = google_service_account.build.email
}
