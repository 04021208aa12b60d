# Custom-mode VPC with one private subnet (secondary ranges for GKE pods and services),
# Private Google Access, flow logs, Cloud NAT for egress, and firewall rules that deny by default.
resource "google_compute_network" "this" {
  project                         = var.project_id
  name                            = var.name
  auto_create_subnetworks         = false
  routing_mode                    = "REGIONAL"
  delete_default_routes_on_create = false
}

resource "google_compute_subnetwork" "private" {
  project                  = var.project_id
  name                     = "${var.name}-private"
  region                   = var.region
  network                  = google_compute_network.this.id
  ip_cidr_range            = var.subnet_cidr
  private_ip_google_access = true
  stack_type               = "IPV4_ONLY"

  secondary_ip_range {
    range_name    = "${var.name}-pods"
    ip_cidr_range = var.pods_cidr
  }

  secondary_ip_range {
    range_name    = "${var.name}-services"
    ip_cidr_range = var.services_cidr
  }

  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = var.flow_log_sampling
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_router" "this" {
  project = var.project_id
  name    = "${var.name}-router"
  region  = var.region
  network = google_compute_network.this.id
}

resource "google_compute_router_nat" "this" {
  project                            = var.project_id
  name                               = "${var.name}-nat"
  router                             = google_compute_router.this.name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "LIST_OF_SUBNETWORKS"

  subnetwork {
    name                    = google_compute_subnetwork.private.id
    source_ip_ranges_to_nat = ["ALL_IP_RANGES"]
  }

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}

locals {
  internal_ranges = compact([var.subnet_cidr, var.pods_cidr, var.services_cidr, var.control_plane_cidr])
  # Private and restricted Google API virtual IPs (Private Google Access).
  google_api_ranges = ["199.36.153.8/30", "199.36.153.4/30"]
  # Google Cloud health checkers and Identity-Aware Proxy TCP forwarding.
  health_check_ranges = ["35.191.0.0/16", "130.211.0.0/22"]
  iap_ranges          = ["35.235.240.0/20"]
}

# --- Default deny: the lowest-priority rules drop everything not allowed above them. ---------
resource "google_compute_firewall" "deny_all_ingress" {
  project   = var.project_id
  name      = "${var.name}-deny-all-ingress"
  network   = google_compute_network.this.id
  direction = "INGRESS"
  priority  = 65534

  source_ranges = ["0.0.0.0/0"]

  deny {
    protocol = "all"
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "deny_all_egress" {
  project   = var.project_id
  name      = "${var.name}-deny-all-egress"
  network   = google_compute_network.this.id
  direction = "EGRESS"
  priority  = 65534

  destination_ranges = ["0.0.0.0/0"]

  deny {
    protocol = "all"
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

# --- Allowed traffic. ------------------------------------------------------------------------
resource "google_compute_firewall" "allow_internal_ingress" {
  project   = var.project_id
  name      = "${var.name}-allow-internal-ingress"
  network   = google_compute_network.this.id
  direction = "INGRESS"
  priority  = 1000

  source_ranges = local.internal_ranges

  allow {
    protocol = "tcp"
  }

  allow {
    protocol = "udp"
  }

  allow {
    protocol = "icmp"
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "allow_health_checks" {
  project   = var.project_id
  name      = "${var.name}-allow-health-checks"
  network   = google_compute_network.this.id
  direction = "INGRESS"
  priority  = 1000

  source_ranges = local.health_check_ranges

  allow {
    protocol = "tcp"
    ports    = var.health_check_ports
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "allow_iap_ssh" {
  project   = var.project_id
  name      = "${var.name}-allow-iap-ssh"
  network   = google_compute_network.this.id
  direction = "INGRESS"
  priority  = 1000

  # SSH only through Identity-Aware Proxy (OS Login decides who), only to tagged instances.
  source_ranges = local.iap_ranges
  target_tags   = var.iap_ssh_target_tags

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "allow_internal_egress" {
  project   = var.project_id
  name      = "${var.name}-allow-internal-egress"
  network   = google_compute_network.this.id
  direction = "EGRESS"
  priority  = 1000

  destination_ranges = local.internal_ranges

  allow {
    protocol = "tcp"
  }

  allow {
    protocol = "udp"
  }

  allow {
    protocol = "icmp"
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "allow_google_apis_egress" {
  project   = var.project_id
  name      = "${var.name}-allow-google-apis-egress"
  network   = google_compute_network.this.id
  direction = "EGRESS"
  priority  = 1000

  destination_ranges = local.google_api_ranges

  allow {
    protocol = "tcp"
    ports    = ["443"]
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "allow_https_egress" {
  project   = var.project_id
  name      = "${var.name}-allow-https-egress"
  network   = google_compute_network.this.id
  direction = "EGRESS"
  priority  = 1100

  # HTTPS through Cloud NAT: Google APIs on their public addresses, package indexes, GPU drivers.
  destination_ranges = var.https_egress_ranges

  allow {
    protocol = "tcp"
    ports    = ["443"]
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}
