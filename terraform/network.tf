# A VPC of its own for the runner VMs: no external IPs (egress through Cloud NAT), no ingress.
resource "google_compute_network" "runners" {
  name                    = "${var.name_prefix}-vpc"
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"

  depends_on = [google_project_service.apis]
}

resource "google_compute_subnetwork" "runners" {
  name          = "${var.name_prefix}-runners"
  region        = var.region
  network       = google_compute_network.runners.id
  ip_cidr_range = var.subnet_cidr
  # Jobs that call Google APIs reach them without going through NAT.
  private_ip_google_access = true

  lifecycle {
    precondition {
      condition     = alltrue([for zone in local.template_zones : startswith(zone, "${var.region}-")])
      error_message = "Every zone (var.zones and the zones in runner_templates_yaml) must be in ${var.region}, the region of the runner subnetwork."
    }
  }
}

resource "google_compute_router" "runners" {
  name    = "${var.name_prefix}-router"
  region  = var.region
  network = google_compute_network.runners.id
}

# Egress addresses of the runners, reserved only when asked (var.nat_ip_count): an organization with
# a GitHub IP allow list must list them. These are NAT addresses; the VMs themselves have none.
resource "google_compute_address" "nat" {
  count = var.nat_ip_count

  name         = "${var.name_prefix}-nat-${count.index}"
  region       = var.region
  address_type = "EXTERNAL"
}

resource "google_compute_router_nat" "runners" {
  name                               = "${var.name_prefix}-nat"
  router                             = google_compute_router.runners.name
  region                             = var.region
  nat_ip_allocate_option             = var.nat_ip_count > 0 ? "MANUAL_ONLY" : "AUTO_ONLY"
  nat_ips                            = google_compute_address.nat[*].self_link
  source_subnetwork_ip_ranges_to_nat = "LIST_OF_SUBNETWORKS"

  subnetwork {
    name                    = google_compute_subnetwork.runners.id
    source_ip_ranges_to_nat = ["ALL_IP_RANGES"]
  }

  # Builds open many connections (package registries, image pulls): ports grow from 64 to 4096
  # per VM on demand instead of a large fixed reservation per VM.
  enable_endpoint_independent_mapping = false
  enable_dynamic_port_allocation      = true
  min_ports_per_vm                    = 64
  max_ports_per_vm                    = 4096

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}

# The only ingress rule, off by default: SSH from IAP's TCP-forwarding range to runner VMs, for
# `gcloud compute ssh --tunnel-through-iap`. Without it, the VPC's implied rule denies all ingress.
resource "google_compute_firewall" "iap_ssh" {
  count = var.enable_iap_ssh ? 1 : 0

  name                    = "${var.name_prefix}-allow-iap-ssh"
  network                 = google_compute_network.runners.id
  direction               = "INGRESS"
  priority                = 1000
  source_ranges           = ["35.235.240.0/20"]
  target_service_accounts = [google_service_account.runner.email]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
