# Runner images that refresh themselves. Cloud Scheduler starts a Cloud Build (bake-cloudbuild.yaml)
# every day; it runs startup/bake-image.sh per architecture, which bakes a new image into the
# family <name_prefix>-<arch> when the newest one lacks the latest actions/runner release or is
# var.bake_max_age_days old, and keeps the newest var.bake_keep_images. The first apply starts one
# bake straight away. Templates name the family: global/images/family/<name_prefix>-x64.

locals {
  bake_zone = var.bake_zone != "" ? var.bake_zone : var.zones[0]

  # The Build resource of the Cloud Build API, as the YAML holds it, with our substitutions.
  bake_build = merge(yamldecode(file("${path.module}/bake-cloudbuild.yaml")), {
    substitutions = {
      _SCRIPTS       = "gs://${google_storage_bucket.bake_scripts.name}/bake"
      _ZONE          = local.bake_zone
      _SUBNET        = google_compute_subnetwork.runners.id
      _FAMILY_PREFIX = var.name_prefix
      _ARCHITECTURES = join(" ", var.bake_architectures)
      _KEEP          = tostring(var.bake_keep_images)
      _MAX_AGE_DAYS  = tostring(var.bake_max_age_days)
    }
    serviceAccount = google_service_account.bake.id
  })
}

# The scripts the build runs, as this checkout has them: the bake VM boots the same startup.sh
# the steps service sends to runner VMs.
resource "google_storage_bucket" "bake_scripts" {
  name                        = "${var.project_id}-${var.name_prefix}-bake"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true

  depends_on = [google_project_service.apis]
}

resource "google_storage_bucket_object" "bake_scripts" {
  for_each = toset(["startup.sh", "bake-image.sh"])

  bucket       = google_storage_bucket.bake_scripts.name
  name         = "bake/${each.key}"
  content      = file("${path.module}/../startup/${each.key}")
  content_type = "text/x-shellscript"
}

# --- who bakes ---------------------------------------------------------------------------------

# Cloud Build runs the bake as this account.
resource "google_service_account" "bake" {
  account_id   = "${var.name_prefix}-bake"
  display_name = "GitHub runner: Cloud Build bake of the runner images"
  depends_on   = [google_project_service.apis]
}

# Cloud Scheduler starts the build as this account.
resource "google_service_account" "bake_scheduler" {
  account_id   = "${var.name_prefix}-bakecron"
  display_name = "GitHub runner: Cloud Scheduler starts the image bake"
  depends_on   = [google_project_service.apis]
}

# What bake-image.sh does with gcloud, and no more: a temporary VM without a service account or
# an external IP (no compute.*.useExternalIp, no addresses.use), its serial console, an image
# of its disk, and the family's old images deleted.
resource "google_project_iam_custom_role" "image_baker" {
  role_id     = "${replace(var.name_prefix, "-", "_")}_image_baker"
  title       = "GitHub runner image baker"
  description = "Boot a temporary VM, read its serial console, image its disk, prune old images."
  permissions = [
    "compute.disks.create",
    "compute.disks.delete",
    "compute.disks.get",
    "compute.disks.useReadOnly",
    "compute.globalOperations.get",
    "compute.images.create",
    "compute.images.delete",
    "compute.images.get",
    "compute.images.getFromFamily",
    "compute.images.list",
    "compute.images.setLabels",
    "compute.images.useReadOnly",
    "compute.instances.create",
    "compute.instances.delete",
    "compute.instances.get",
    "compute.instances.getSerialPortOutput",
    "compute.instances.setLabels",
    "compute.instances.setMetadata",
    "compute.zoneOperations.get",
  ]
  depends_on = [google_project_service.apis]
}

resource "google_project_iam_member" "bake_images" {
  project = var.project_id
  role    = google_project_iam_custom_role.image_baker.name
  member  = google_service_account.bake.member
}

# The bake VM sits on the runner subnetwork (Cloud NAT, no external IP), like runner VMs.
resource "google_compute_subnetwork_iam_member" "bake_uses_runner_subnet" {
  subnetwork = google_compute_subnetwork.runners.name
  region     = var.region
  role       = google_project_iam_custom_role.runner_subnet_user.name
  member     = google_service_account.bake.member
}

resource "google_storage_bucket_iam_member" "bake_reads_scripts" {
  bucket = google_storage_bucket.bake_scripts.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.bake.member
}

# Cloud Build with a user-chosen service account writes build logs to Cloud Logging as it.
resource "google_project_iam_member" "bake_writes_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = google_service_account.bake.member
}

resource "google_project_iam_member" "bake_scheduler_starts_builds" {
  project = var.project_id
  role    = "roles/cloudbuild.builds.editor"
  member  = google_service_account.bake_scheduler.member
}

# A build that runs as the bake account may be started only by someone allowed to act as it.
resource "google_service_account_iam_member" "bake_scheduler_acts_as_bake" {
  service_account_id = google_service_account.bake.name
  role               = "roles/iam.serviceAccountUser"
  member             = google_service_account.bake_scheduler.member
}

# --- when ------------------------------------------------------------------------------------

resource "google_cloud_scheduler_job" "bake" {
  name             = "${var.name_prefix}-bake"
  region           = var.region
  description      = "Bakes the runner images when the latest actions/runner release or a week's OS updates are not in them."
  schedule         = var.bake_schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "60s"

  # Scheduler only starts the build; a start that fails is tried again once, and tomorrow.
  retry_config {
    retry_count = 1
  }

  http_target {
    http_method = "POST"
    uri         = "https://cloudbuild.googleapis.com/v1/projects/${var.project_id}/locations/${var.region}/builds?projectId=${var.project_id}"
    headers     = { "Content-Type" = "application/json" }
    body        = base64encode(jsonencode(local.bake_build))

    oauth_token {
      service_account_email = google_service_account.bake_scheduler.email
      scope                 = "https://www.googleapis.com/auth/cloud-platform"
    }
  }

  depends_on = [
    google_project_iam_member.bake_scheduler_starts_builds,
    google_service_account_iam_member.bake_scheduler_acts_as_bake,
    google_project_iam_member.bake_images,
    google_compute_subnetwork_iam_member.bake_uses_runner_subnet,
    google_storage_bucket_iam_member.bake_reads_scripts,
    google_storage_bucket_object.bake_scripts,
  ]
}

# The first apply bakes at once rather than at the next scheduled time: templates that name the
# family have no image until then. Runs where Terraform runs, with the operator's gcloud.
resource "terraform_data" "first_bake" {
  triggers_replace = [google_cloud_scheduler_job.bake.id]

  provisioner "local-exec" {
    command = "gcloud scheduler jobs run ${google_cloud_scheduler_job.bake.name} --project=${var.project_id} --location=${var.region}"
  }
}
