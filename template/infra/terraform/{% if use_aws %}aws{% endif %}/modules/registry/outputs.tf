output "repository_urls" {
  description = "Repository URL per image name (what CI pushes to)."
  value       = { for name, repo in aws_ecr_repository.this : name => repo.repository_url }
}

output "repository_arns" {
  description = "Repository ARN per image name."
  value       = { for name, repo in aws_ecr_repository.this : name => repo.arn }
}
