# One GPU EC2 instance for training and serving, launched from a launch template: the AWS Deep
# Learning AMI (NVIDIA driver, CUDA) looked up through its public SSM parameter, IMDSv2 only,
# an encrypted root volume with a customer-managed key, no public IP, no SSH (no key pair, no
# ingress at all): shell access is AWS Systems Manager Session Manager. An EventBridge
# Scheduler schedule stops the instance every evening so an idle GPU does not run all night.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

data "aws_ssm_parameter" "ami" {
  name = var.ami_ssm_parameter
}

locals {
  partition = data.aws_partition.current.partition
}

data "aws_iam_policy_document" "instance_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "instance" {
  name               = "${var.name}-gpu-vm"
  assume_role_policy = data.aws_iam_policy_document.instance_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.instance.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_role_policy" "workload" {
  count = var.workload_policy_json == null ? 0 : 1

  name   = "workload-access"
  role   = aws_iam_role.instance.id
  policy = var.workload_policy_json
}

resource "aws_iam_instance_profile" "instance" {
  name = "${var.name}-gpu-vm"
  role = aws_iam_role.instance.name
  tags = var.tags
}

# No ingress rule at all. Egress: HTTPS to the VPC's interface endpoints (Session Manager, ECR,
# CloudWatch Logs, STS) and to S3 through its gateway endpoint; the internet only where a reason
# is given (internet_egress_reason).
resource "aws_security_group" "instance" {
  name        = "${var.name}-gpu-vm"
  description = "GPU VM: no inbound traffic, outbound HTTPS to VPC endpoints only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-gpu-vm" })
}

resource "aws_vpc_security_group_egress_rule" "endpoints" {
  security_group_id            = aws_security_group.instance.id
  description                  = "HTTPS to the interface VPC endpoints (SSM, ECR, logs, STS)"
  referenced_security_group_id = var.endpoints_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_vpc_security_group_egress_rule" "s3" {
  security_group_id = aws_security_group.instance.id
  description       = "HTTPS to S3 through the gateway endpoint (data, models, ECR layers)"
  prefix_list_id    = var.s3_prefix_list_id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "internet" {
  for_each = var.internet_egress_reason == "" ? toset([]) : toset(["https"])

  security_group_id = aws_security_group.instance.id
  description       = substr("HTTPS to the internet: ${var.internet_egress_reason}", 0, 255)
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_launch_template" "this" {
  name_prefix            = "${var.name}-gpu-vm-"
  image_id               = data.aws_ssm_parameter.ami.insecure_value
  instance_type          = var.instance_type
  ebs_optimized          = true
  update_default_version = true
  vpc_security_group_ids = [aws_security_group.instance.id]
  # Gzipped: EC2 takes at most 16 KiB of user data, and cloud-init runs gzipped user data as is.
  user_data = var.startup_script == null ? null : base64gzip(var.startup_script)

  iam_instance_profile {
    arn = aws_iam_instance_profile.instance.arn
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  block_device_mappings {
    device_name = "/dev/sda1"

    ebs {
      volume_size           = var.root_volume_size_gb
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = var.kms_key_arn
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = true
  }

  dynamic "instance_market_options" {
    for_each = var.use_spot ? [1] : []
    content {
      market_type = "spot"

      # A persistent request that stops (not terminates) on interruption keeps the volume.
      spot_options {
        spot_instance_type             = "persistent"
        instance_interruption_behavior = "stop"
      }
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = "${var.name}-gpu-vm" })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(var.tags, { Name = "${var.name}-gpu-vm" })
  }

  tags = var.tags
}

resource "aws_instance" "this" {
  subnet_id                   = var.subnet_id
  associate_public_ip_address = false
  ebs_optimized               = true
  monitoring                  = true
  iam_instance_profile        = aws_iam_instance_profile.instance.name

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  # Repeated from the launch template so that the instance itself states its guarantees.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    encrypted   = true
    kms_key_id  = var.kms_key_arn
    volume_type = "gp3"
    volume_size = var.root_volume_size_gb
  }

  # The startup script reads Environment and ImageTag through the instance metadata (the launch
  # template enables instance_metadata_tags). A deployment sets ImageTag (aws ec2 create-tags):
  # Terraform sets its first value only and leaves later ones alone.
  tags = merge(var.tags, { Name = "${var.name}-gpu-vm", ImageTag = var.image_tag })

  lifecycle {
    ignore_changes = [launch_template[0].version, tags["ImageTag"]]
  }
}

# ─── Stop schedule ───────────────────────────────────────────────────────────
data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

data "aws_iam_policy_document" "scheduler_stop" {
  statement {
    actions   = ["ec2:StopInstances"]
    resources = ["arn:${local.partition}:ec2:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:instance/${aws_instance.this.id}"]
  }

  # The schedule is encrypted with the key; its execution role decrypts it.
  statement {
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role" "scheduler" {
  name               = "${var.name}-gpu-vm-scheduler"
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "stop-gpu-vm"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler_stop.json
}

resource "aws_scheduler_schedule" "stop" {
  name                         = "${var.name}-gpu-vm-stop"
  description                  = "Stops the GPU VM every evening (start it again with aws ec2 start-instances)"
  schedule_expression          = var.stop_schedule
  schedule_expression_timezone = var.schedule_timezone
  kms_key_arn                  = var.kms_key_arn

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = "arn:${local.partition}:scheduler:::aws-sdk:ec2:stopInstances"
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({ InstanceIds = [aws_instance.this.id] })
  }
}
