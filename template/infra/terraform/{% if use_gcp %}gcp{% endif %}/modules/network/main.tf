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

  all_protocols = [{ protocol = "tcp", ports = null }, { protocol = "udp", ports = null }, { protocol = "icmp", ports = null }]
  https         = [{ protocol = "tcp", ports = ["443"] }]

  # Firewall rules by name suffix. Default deny: the lowest-priority rules drop everything that the
  # rules above them do not allow. `ranges` are sources of INGRESS rules, destinations of EGRESS ones.
  firewall_rules = {
    deny-all-ingress = {
      direction = "INGRESS", priority = 65534, ranges = ["0.0.0.0/0"], target_tags = null
      allow     = [], deny = [{ protocol = "all", ports = null }]
    }
    deny-all-egress = {
      direction = "EGRESS", priority = 65534, ranges = ["0.0.0.0/0"], target_tags = null
      allow     = [], deny = [{ protocol = "all", ports = null }]
    }
    allow-internal-ingress = {
      direction = "INGRESS", priority = 1000, ranges = local.internal_ranges, target_tags = null
      allow     = local.all_protocols, deny = []
    }
    allow-health-checks = {
      direction = "INGRESS", priority = 1000, ranges = local.health_check_ranges, target_tags = null
      allow     = [{ protocol = "tcp", ports = var.health_check_ports }], deny = []
    }
    # SSH only through Identity-Aware Proxy (OS Login decides who), only to tagged instances.
    allow-iap-ssh = {
      direction = "INGRESS", priority = 1000, ranges = local.iap_ranges, target_tags = var.iap_ssh_target_tags
      allow     = [{ protocol = "tcp", ports = ["22"] }], deny = []
    }
    allow-internal-egress = {
      direction = "EGRESS", priority = 1000, ranges = local.internal_ranges, target_tags = null
      allow     = local.all_protocols, deny = []
    }
    allow-google-apis-egress = {
      direction = "EGRESS", priority = 1000, ranges = local.google_api_ranges, target_tags = null
      allow     = local.https, deny = []
    }
  }
}

# HTTPS to the internet through Cloud NAT only where a reason is given (package mirrors outside
# Google, say): Google APIs, Artifact Registry and the GPU drivers are reached privately above.
locals {
  internet_egress_rules = length(var.https_egress_ranges) == 0 ? {} : {
    allow-https-egress = {
      direction = "EGRESS", priority = 1100, ranges = var.https_egress_ranges, target_tags = null
      allow     = local.https, deny = []
    }
  }
  all_firewall_rules = merge(local.firewall_rules, local.internet_egress_rules)
}

# Google APIs on their private addresses: *.googleapis.com and *.pkg.dev resolve to
# private.googleapis.com (199.36.153.8/30) inside the VPC, so no egress to the internet is needed.
resource "google_dns_managed_zone" "google_apis" {
  for_each = toset(["googleapis.com.", "pkg.dev."])

  project     = var.project_id
  name        = "${var.name}-${replace(trimsuffix(each.key, "."), ".", "-")}"
  dns_name    = each.key
  description = "Private Google Access for ${trimsuffix(each.key, ".")} from ${var.name}"
  visibility  = "private"

  private_visibility_config {
    networks {
      network_url = google_compute_network.this.id
    }
  }
}

resource "google_dns_record_set" "google_apis_a" {
  for_each = google_dns_managed_zone.google_apis

  project      = var.project_id
  managed_zone = each.value.name
  name         = each.key == "googleapis.com." ? "private.googleapis.com." : each.key
  type         = "A"
  ttl          = 300
  rrdatas      = ["199.36.153.8", "199.36.153.9", "199.36.153.10", "199.36.153.11"]
}

resource "google_dns_record_set" "google_apis_cname" {
  for_each = google_dns_managed_zone.google_apis

  project      = var.project_id
  managed_zone = each.value.name
  name         = "*.${each.key}"
  type         = "CNAME"
  ttl          = 300
  rrdatas      = [each.key == "googleapis.com." ? "private.googleapis.com." : each.key]
}

resource "google_compute_firewall" "this" {
  for_each = local.all_firewall_rules

  project   = var.project_id
  name      = "${var.name}-${each.key}"
  network   = google_compute_network.this.id
  direction = each.value.direction
  priority  = each.value.priority

  source_ranges      = each.value.direction == "INGRESS" ? each.value.ranges : null
  destination_ranges = each.value.direction == "EGRESS" ? each.value.ranges : null
  target_tags        = each.value.target_tags

  dynamic "allow" {
    for_each = each.value.allow

    content {
      protocol = allow.value.protocol
      ports    = allow.value.ports
    }
  }

  dynamic "deny" {
    for_each = each.value.deny

    content {
      protocol = deny.value.protocol
      ports    = deny.value.ports
    }
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

# The rules were one resource each before; their state moves to the map's keys.
moved {
  from = google_compute_firewall.deny_all_ingress
  to   = google_compute_firewall.this["deny-all-ingress"]
}

moved {
  from = google_compute_firewall.deny_all_egress
  to   = google_compute_firewall.this["deny-all-egress"]
}

moved {
  from = google_compute_firewall.allow_internal_ingress
  to   = google_compute_firewall.this["allow-internal-ingress"]
}

moved {
  from = google_compute_firewall.allow_health_checks
  to   = google_compute_firewall.this["allow-health-checks"]
}

moved {
  from = google_compute_firewall.allow_iap_ssh
  to   = google_compute_firewall.this["allow-iap-ssh"]
}

moved {
  from = google_compute_firewall.allow_internal_egress
  to   = google_compute_firewall.this["allow-internal-egress"]
}

moved {
  from = google_compute_firewall.allow_google_apis_egress
  to   = google_compute_firewall.this["allow-google-apis-egress"]
}

moved {
  from = google_compute_firewall.allow_https_egress
  to   = google_compute_firewall.this["allow-https-egress"]
}
