output "trail_arn" {
  description = "ARN of the CloudTrail trail."
  value       = aws_cloudtrail.this.arn
}

output "bucket" {
  description = "Bucket that holds the trail's log files."
  value       = module.bucket.id
}

output "log_group_name" {
  description = "CloudWatch log group of the trail."
  value       = aws_cloudwatch_log_group.trail.name
}
