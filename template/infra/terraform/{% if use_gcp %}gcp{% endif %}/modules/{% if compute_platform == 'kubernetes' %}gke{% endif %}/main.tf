# Private, regional GKE cluster with a system node pool and a GPU node pool that scales to zero.
data "google_project" "this" {
  project_id = var.project_id
}

locals {
  node_sa_roles = toset([
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
    "roles/autoscaling.metricsWriter",
  ])
  oauth_scopes = ["https://www.googleapis.com/auth/cloud-platform"]
  labels       = merge(var.labels, { cluster = var.name })
}

# --- Node identity: a dedicated least-privilege service account (never the default one), made by
# the bootstrap (modules/identity/workload_accounts.tf): the apply account cannot create accounts.
data "google_service_account" "nodes" {
  project    = var.project_id
  account_id = var.node_service_account_id
}

# Versions before the bootstrap made it created it here: forget it, do not delete it.
removed {
  from = google_service_account.nodes

  lifecycle {
    destroy = false
  }
}

# Whoever creates the nodes with this account must be able to act as it: granted on the account
# itself, not project-wide.
resource "google_service_account_iam_member" "users" {
  for_each = var.service_account_users

  service_account_id = data.google_service_account.nodes.name
  role               = "roles/iam.serviceAccountUser"
  member             = each.value
}

resource "google_project_iam_member" "nodes" {
  for_each = local.node_sa_roles

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${data.google_service_account.nodes.email}"
}

# The GKE service agent encrypts Kubernetes secrets with the cluster's KMS key.
resource "google_kms_crypto_key_iam_member" "gke_secrets" {
  crypto_key_id = var.secrets_kms_key_id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:service-${data.google_project.this.number}@container-engine-robot.iam.gserviceaccount.com"
}

# --- Cluster. ----------------------------------------------------------------------------------
resource "google_container_cluster" "this" {
  project  = var.project_id
  name     = var.name
  location = var.region

  network         = var.network_id
  subnetwork      = var.subnet_id
  networking_mode = "VPC_NATIVE"

  # Node pools are managed below; the default pool is created empty-handed and removed.
  remove_default_node_pool = true
  initial_node_count       = 1
  deletion_protection      = var.deletion_protection

  resource_labels = var.labels

  release_channel {
    channel = var.release_channel
  }

  workload_identity_config {
    workload_pool = "${var.project_id}.svc.id.goog"
  }

  ip_allocation_policy {
    cluster_secondary_range_name  = var.pods_range_name
    services_secondary_range_name = var.services_range_name
  }

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = length(var.authorized_cidrs) == 0
    master_ipv4_cidr_block  = var.control_plane_cidr

    master_global_access_config {
      enabled = false
    }
  }

  master_authorized_networks_config {
    dynamic "cidr_blocks" {
      for_each = merge({ "private-subnet" = var.subnet_cidr }, { for cidr in var.authorized_cidrs : cidr => cidr })
      content {
        display_name = cidr_blocks.key
        cidr_block   = cidr_blocks.value
      }
    }
  }

  master_auth {
    client_certificate_config {
      issue_client_certificate = false
    }
  }

  # Kubernetes RBAC for members of Google Groups (needs a Google Workspace / Cloud Identity
  # group named gke-security-groups@<your domain>).
  dynamic "authenticator_groups_config" {
    for_each = var.rbac_security_group == "" ? [] : [var.rbac_security_group]
    content {
      security_group = authenticator_groups_config.value
    }
  }

  enable_shielded_nodes       = true
  enable_intranode_visibility = true
  enable_legacy_abac          = false

  network_policy {
    enabled  = true
    provider = "CALICO"
  }

  addons_config {
    network_policy_config {
      disabled = false
    }
    http_load_balancing {
      disabled = false
    }
    horizontal_pod_autoscaling {
      disabled = false
    }
  }

  database_encryption {
    state    = "ENCRYPTED"
    key_name = var.secrets_kms_key_id
  }

  # Only images the project's Binary Authorization policy admits may run (the hipaa profile).
  binary_authorization {
    evaluation_mode = var.enable_binary_authorization ? "PROJECT_SINGLETON_POLICY_ENFORCE" : "DISABLED"
  }

  # Cloud Logging (system and workload logs) and Cloud Monitoring. The API refuses these together
  # with logging_config / monitoring_config, so only the services are set.
  logging_service    = "logging.googleapis.com/kubernetes"
  monitoring_service = "monitoring.googleapis.com/kubernetes"

  security_posture_config {
    mode = "BASIC"
  }

  maintenance_policy {
    recurring_window {
      start_time = "2026-01-03T03:00:00Z"
      end_time   = "2026-01-03T09:00:00Z"
      recurrence = "FREQ=WEEKLY;BYDAY=SA,SU"
    }
  }

  # Settings of the short-lived default pool; the real pools below carry their own.
  node_config {
    service_account = data.google_service_account.nodes.email
    oauth_scopes    = local.oauth_scopes
    image_type      = "COS_CONTAINERD"

    shielded_instance_config {
      enable_secure_boot          = true
      enable_integrity_monitoring = true
    }

    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }

  depends_on = [google_kms_crypto_key_iam_member.gke_secrets]

  lifecycle {
    ignore_changes = [node_config]
  }
}

# --- System pool: cluster add-ons and CPU workloads. -------------------------------------------
resource "google_container_node_pool" "system" {
  project  = var.project_id
  name     = "system"
  cluster  = google_container_cluster.this.id
  location = var.region

  autoscaling {
    total_min_node_count = 1
    total_max_node_count = var.system_max_nodes
    location_policy      = "BALANCED"
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  node_config {
    machine_type      = var.system_machine_type
    image_type        = "COS_CONTAINERD"
    disk_type         = "pd-balanced"
    disk_size_gb      = 100
    boot_disk_kms_key = var.disk_kms_key_id
    service_account   = data.google_service_account.nodes.email
    oauth_scopes      = local.oauth_scopes
    labels            = merge(local.labels, { pool = "system" })

    shielded_instance_config {
      enable_secure_boot          = true
      enable_integrity_monitoring = true
    }

    workload_metadata_config {
      mode = "GKE_METADATA"
    }

    metadata = {
      disable-legacy-endpoints = "true"
    }
  }
}

# --- GPU pool: scales from zero, tainted so only GPU workloads land there. ---------------------
resource "google_container_node_pool" "gpu" {
  project        = var.project_id
  name           = "gpu"
  cluster        = google_container_cluster.this.id
  location       = var.region
  node_locations = length(var.gpu_node_locations) > 0 ? var.gpu_node_locations : null

  autoscaling {
    total_min_node_count = 0
    total_max_node_count = var.gpu_max_nodes
    location_policy      = "ANY"
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  node_config {
    machine_type      = var.gpu_machine_type
    image_type        = "COS_CONTAINERD"
    disk_type         = "pd-balanced"
    disk_size_gb      = 200
    boot_disk_kms_key = var.disk_kms_key_id
    spot              = var.gpu_spot
    service_account   = data.google_service_account.nodes.email
    oauth_scopes      = local.oauth_scopes
    labels            = merge(local.labels, { pool = "gpu" })

    guest_accelerator {
      type  = var.gpu_accelerator_type
      count = var.gpu_accelerator_count

      gpu_driver_installation_config {
        gpu_driver_version = var.gpu_driver_version
      }
    }

    taint {
      key    = "nvidia.com/gpu"
      value  = "present"
      effect = "NO_SCHEDULE"
    }

    shielded_instance_config {
      enable_secure_boot          = true
      enable_integrity_monitoring = true
    }

    workload_metadata_config {
      mode = "GKE_METADATA"
    }

    metadata = {
      disable-legacy-endpoints = "true"
    }
  }
}
