output "cluster_name" {
  description = "Name of the EKS cluster (aws eks update-kubeconfig --name ...)."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "Endpoint of the Kubernetes API."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority" {
  description = "Base64 certificate authority data of the cluster."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "node_role_arn" {
  description = "IAM role of the worker nodes."
  value       = aws_iam_role.node.arn
}

output "gpu_node_group" {
  description = "Name of the GPU node group."
  value       = aws_eks_node_group.this["gpu"].node_group_name
}

output "workload_role_arns" {
  description = "IAM role per Pod Identity workload."
  value       = { for name, role in aws_iam_role.workload : name => role.arn }
}
