output "vpc_id" {
  description = "Id of the VPC."
  value       = aws_vpc.this.id
}

output "private_subnet_ids" {
  description = "Ids of the private subnets (one per availability zone)."
  value       = [for subnet in aws_subnet.private : subnet.id]
}

output "public_subnet_ids" {
  description = "Ids of the public subnets (NAT gateways only)."
  value       = [for subnet in aws_subnet.public : subnet.id]
}

output "cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "flow_log_group_name" {
  description = "CloudWatch log group of the VPC flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.name
}

output "endpoints_security_group_id" {
  description = "Security group of the interface VPC endpoints (allow HTTPS egress to it)."
  value       = aws_security_group.endpoints.id
}

output "s3_prefix_list_id" {
  description = "Prefix list of the S3 gateway endpoint (allow HTTPS egress to it)."
  value       = aws_vpc_endpoint.s3.prefix_list_id
}
