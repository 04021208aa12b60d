# An EKS cluster for training and serving: private API endpoint (public only from the listed
# CIDRs), secrets envelope-encrypted with a customer-managed key, every control-plane log type,
# access entries (no aws-auth ConfigMap), a CPU system node group and a GPU node group that
# scales to zero, carries the nvidia.com/gpu NoSchedule taint and runs an NVIDIA AMI.
# Workloads get AWS permissions through EKS Pod Identity (no node-wide credentials, no keys).

data "aws_partition" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  policy_arn = "arn:${local.partition}:iam::aws:policy"
  # Bottlerocket's NVIDIA variant ships the NVIDIA device plugin; AL2023's needs it installed
  # (README: the nvidia-device-plugin DaemonSet). Bottlerocket's data volume is /dev/xvdb.
  gpu_root_device = startswith(var.gpu_ami_type, "BOTTLEROCKET") ? "/dev/xvdb" : "/dev/xvda"
}

# ─── Control plane ───────────────────────────────────────────────────────────
data "aws_iam_policy_document" "cluster_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name               = "${var.name}-eks-cluster"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "${local.policy_arn}/AmazonEKSClusterPolicy"
}

resource "aws_cloudwatch_log_group" "cluster" {
  name              = "/aws/eks/${var.name}/cluster"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_eks_cluster" "this" {
  name                      = var.name
  version                   = var.kubernetes_version
  role_arn                  = aws_iam_role.cluster.arn
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  deletion_protection       = var.deletion_protection

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = false
  }

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = length(var.public_access_cidrs) > 0
    public_access_cidrs     = length(var.public_access_cidrs) > 0 ? var.public_access_cidrs : null
  }

  encryption_config {
    resources = ["secrets"]

    provider {
      key_arn = var.kms_key_arn
    }
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy_attachment.cluster, aws_cloudwatch_log_group.cluster]
}

resource "aws_eks_access_entry" "admin" {
  for_each = toset(var.admin_role_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  type          = "STANDARD"
  tags          = var.tags
}

resource "aws_eks_access_policy_association" "admin" {
  for_each = aws_eks_access_entry.admin

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value.principal_arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }
}

# ─── Nodes ───────────────────────────────────────────────────────────────────
data "aws_iam_policy_document" "node_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name               = "${var.name}-eks-node"
  assume_role_policy = data.aws_iam_policy_document.node_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryPullOnly",
    "AmazonSSMManagedInstanceCore",
  ])

  role       = aws_iam_role.node.name
  policy_arn = "${local.policy_arn}/${each.value}"
}

# Node groups by name: a CPU system group for cluster services, and a GPU group that scales to
# zero, runs an NVIDIA AMI and carries the nvidia.com/gpu NoSchedule taint.
locals {
  node_groups = {
    system = {
      ami_type       = "AL2023_x86_64_STANDARD"
      capacity_type  = "ON_DEMAND"
      instance_types = var.system_instance_types
      root_device    = "/dev/xvda"
      disk_size_gb   = 50
      min_size       = 1
      desired_size   = 2
      max_size       = 3
      taints         = []
      labels         = { "node-role" = "system" }
      extra_tags     = {}
    }
    gpu = {
      ami_type       = var.gpu_ami_type
      capacity_type  = var.use_spot ? "SPOT" : "ON_DEMAND"
      instance_types = [var.gpu_instance_type]
      root_device    = local.gpu_root_device
      disk_size_gb   = var.gpu_disk_size_gb
      # Scales to zero when no GPU pod is pending; EKS requires max_size >= 1.
      min_size     = 0
      desired_size = 0
      max_size     = max(var.gpu_max_nodes, 1)
      # Only pods that tolerate the taint (training Jobs, GPU serving) land on GPU nodes.
      taints = [{ key = "nvidia.com/gpu", value = "true", effect = "NO_SCHEDULE" }]
      labels = {
        "node-role"              = "gpu"
        "nvidia.com/gpu.present" = "true"
        "gpu-type"               = var.gpu_type
      }
      extra_tags = {
        "k8s.io/cluster-autoscaler/enabled"                            = "true"
        "k8s.io/cluster-autoscaler/${var.name}"                        = "owned"
        "k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu" = "true:NoSchedule"
        "k8s.io/cluster-autoscaler/node-template/label/node-role"      = "gpu"
      }
    }
  }
}

# Launch templates: IMDSv2 only with a hop limit of 1 (pods cannot reach the node's
# credentials), encrypted gp3 volumes, detailed monitoring.
resource "aws_launch_template" "this" {
  for_each = local.node_groups

  name_prefix            = "${var.name}-${each.key}-"
  update_default_version = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  block_device_mappings {
    device_name = each.value.root_device

    ebs {
      volume_size           = each.value.disk_size_gb
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = var.kms_key_arn
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = true
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = "${var.name}-${each.key}" })
  }

  tags = var.tags
}

resource "aws_eks_node_group" "this" {
  for_each = local.node_groups

  cluster_name    = aws_eks_cluster.this.name
  node_group_name = each.key
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.subnet_ids
  ami_type        = each.value.ami_type
  capacity_type   = each.value.capacity_type
  instance_types  = each.value.instance_types

  scaling_config {
    min_size     = each.value.min_size
    desired_size = each.value.desired_size
    max_size     = each.value.max_size
  }

  update_config {
    max_unavailable = 1
  }

  launch_template {
    id      = aws_launch_template.this[each.key].id
    version = aws_launch_template.this[each.key].latest_version
  }

  dynamic "taint" {
    for_each = each.value.taints
    content {
      key    = taint.value.key
      value  = taint.value.value
      effect = taint.value.effect
    }
  }

  labels = each.value.labels
  tags   = merge(var.tags, each.value.extra_tags)

  # The autoscaler owns the node count between min_size and max_size.
  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }

  depends_on = [aws_iam_role_policy_attachment.node]
}

# The launch templates and node groups were one resource each before: their state moves.
moved {
  from = aws_launch_template.system
  to   = aws_launch_template.this["system"]
}

moved {
  from = aws_launch_template.gpu
  to   = aws_launch_template.this["gpu"]
}

moved {
  from = aws_eks_node_group.system
  to   = aws_eks_node_group.this["system"]
}

moved {
  from = aws_eks_node_group.gpu
  to   = aws_eks_node_group.this["gpu"]
}

# ─── Add-ons (EKS-managed) ───────────────────────────────────────────────────
resource "aws_eks_addon" "this" {
  for_each = toset(["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent"])

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.value
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "PRESERVE"
  tags                        = var.tags

  depends_on = [aws_eks_node_group.this["system"]]
}

# ─── Workload identity: EKS Pod Identity ─────────────────────────────────────
data "aws_iam_policy_document" "pod_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "workload" {
  for_each = var.workloads

  name               = "${var.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.pod_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "workload" {
  for_each = var.workloads

  name   = "workload-access"
  role   = aws_iam_role.workload[each.key].id
  policy = each.value.policy_json
}

resource "aws_eks_pod_identity_association" "workload" {
  for_each = var.workloads

  cluster_name    = aws_eks_cluster.this.name
  namespace       = each.value.namespace
  service_account = each.value.service_account
  role_arn        = aws_iam_role.workload[each.key].arn
  tags            = var.tags
}
