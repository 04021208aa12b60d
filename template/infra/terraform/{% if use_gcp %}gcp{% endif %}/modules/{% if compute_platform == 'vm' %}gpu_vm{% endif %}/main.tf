# One GPU Compute Engine instance: Deep Learning VM image, shielded, OS Login, no external IP,
# CMEK boot disk, a dedicated service account, and a schedule that stops it every evening.
data "google_project" "this" {
  project_id = var.project_id
}

locals {
  # N1 machines take attached GPUs; accelerator-optimized families (g2, a2, a3) come with theirs.
  attach_gpus = startswith(var.machine_type, "n1-")
}

# The VM's service account, made by the bootstrap (modules/identity/workload_accounts.tf): the apply
# account cannot create accounts.
data "google_service_account" "vm" {
  project    = var.project_id
  account_id = var.service_account_id
}

# Versions before the bootstrap made it created it here: forget it, do not delete it.
removed {
  from = google_service_account.vm

  lifecycle {
    destroy = false
  }
}

# Whoever creates the instance with this account must be able to act as it: granted on the account
# itself, not project-wide.
resource "google_service_account_iam_member" "users" {
  for_each = var.service_account_users

  service_account_id = data.google_service_account.vm.name
  role               = "roles/iam.serviceAccountUser"
  member             = each.value
}

resource "google_project_iam_member" "vm" {
  for_each = toset(["roles/logging.logWriter", "roles/monitoring.metricWriter"])

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${data.google_service_account.vm.email}"
}

resource "google_compute_resource_policy" "stop_schedule" {
  project     = var.project_id
  name        = "${var.name}-stop-schedule"
  region      = var.region
  description = "Stops the GPU VM outside working hours so an idle GPU does not run up the bill."

  instance_schedule_policy {
    vm_stop_schedule {
      schedule = var.stop_schedule
    }
    time_zone = var.time_zone
  }
}

resource "google_compute_instance" "this" {
  project      = var.project_id
  name         = var.name
  zone         = var.zone
  machine_type = var.machine_type
  tags         = var.network_tags
  labels       = var.labels

  allow_stopping_for_update = true
  deletion_protection       = var.deletion_protection
  can_ip_forward            = false
  resource_policies         = [google_compute_resource_policy.stop_schedule.id]

  boot_disk {
    kms_key_self_link = var.disk_kms_key_id

    initialize_params {
      image = "projects/${var.image_project}/global/images/family/${var.image_family}"
      size  = var.boot_disk_size_gb
      type  = "pd-balanced"
    }
  }

  dynamic "guest_accelerator" {
    for_each = local.attach_gpus ? [1] : []
    content {
      type  = var.accelerator_type
      count = var.accelerator_count
    }
  }

  # No access_config block: the instance has no external IP; egress goes through Cloud NAT.
  network_interface {
    subnetwork = var.subnet_id
  }

  scheduling {
    on_host_maintenance         = "TERMINATE"
    automatic_restart           = !var.spot
    preemptible                 = var.spot
    provisioning_model          = var.spot ? "SPOT" : "STANDARD"
    instance_termination_action = var.spot ? "STOP" : null
  }

  shielded_instance_config {
    enable_secure_boot          = var.enable_secure_boot
    enable_vtpm                 = true
    enable_integrity_monitoring = true
  }

  # environment and image-tag are what the startup script reads. A deployment sets image-tag
  # (gcloud compute instances add-metadata): Terraform sets its first value only. The script is the
  # startup-script key, not metadata_startup_script, so that a new script does not replace the VM.
  metadata = {
    enable-oslogin         = "TRUE"
    block-project-ssh-keys = "true"
    serial-port-enable     = "false"
    install-nvidia-driver  = "True"
    environment            = var.environment
    image-tag              = var.image_tag
    startup-script         = var.startup_script
  }

  service_account {
    email  = data.google_service_account.vm.email
    scopes = ["https://www.googleapis.com/auth/cloud-platform"]
  }

  lifecycle {
    ignore_changes = [metadata["image-tag"]]
  }
}

# The Compute Engine service agent starts and stops instances on behalf of the schedule; it gets
# that right on this instance only, not on the project.
resource "google_compute_instance_iam_member" "schedule_agent" {
  project       = var.project_id
  zone          = var.zone
  instance_name = google_compute_instance.this.name
  role          = "roles/compute.instanceAdmin.v1"
  member        = "serviceAccount:service-${data.google_project.this.number}@compute-system.iam.gserviceaccount.com"
}

# Who may log in through OS Login (as an unprivileged user) on this instance.
resource "google_compute_instance_iam_member" "os_login" {
  for_each = var.os_login_members

  project       = var.project_id
  zone          = var.zone
  instance_name = google_compute_instance.this.name
  role          = "roles/compute.osLogin"
  member        = each.value
}
