# The application image, built by Cloud Build during `terraform apply` whenever the sources change,
# and deployed by digest: a `git pull && terraform apply` rebuilds and rolls out; nothing to type.

locals {
  # What the Dockerfile copies and how it is built. A change to any of them is a new build.
  source_files = sort(setunion(
    ["Dockerfile", ".dockerignore", "package.json", "package-lock.json", "tsconfig.json", "terraform/cloudbuild.yaml"],
    [for f in fileset("${path.module}/..", "handlers/**") : f],
    [for f in fileset("${path.module}/..", "simulators/**") : f],
    [for f in fileset("${path.module}/..", "workflows/**") : f],
    [for f in fileset("${path.module}/..", "startup/**") : f],
  ))
  source_hash = sha1(join("\n", [for f in local.source_files : "${f} ${filesha1("${path.module}/../${f}")}"]))
  image_repo  = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}/runner"
}

# IAM grants take up to about 2 minutes to apply in practice (7 at most;
# https://cloud.google.com/iam/docs/access-change-propagation): wait once, on the first apply,
# before Cloud Build and Cloud Run use them, instead of failing and asking for a second apply.
resource "time_sleep" "iam_propagation" {
  create_duration = "120s"

  triggers = {
    build_writes  = google_artifact_registry_repository_iam_member.build_pushes_images.id
    build_reads   = google_storage_bucket_iam_member.build_reads_sources.id
    build_logs    = google_project_iam_member.build_writes_logs.id
    webhook_app   = google_secret_manager_secret_iam_member.webhook_reads_github_app.id
    webhook_adds  = google_secret_manager_secret_iam_member.webhook_stores_github_app.id
    webhook_token = google_secret_manager_secret_iam_member.webhook_reads_setup_token.id
    steps_app     = google_secret_manager_secret_iam_member.steps_reads_github_app.id
    steps_seal    = google_secret_manager_secret_iam_member.steps_reads_seal_key.id
  }
}

# `gcloud builds submit` of the repository (filtered by .gcloudignore), tagged with the source hash.
# Runs where `terraform apply` runs, with its gcloud login; replaced only when the sources change.
resource "terraform_data" "image" {
  triggers_replace = [local.source_hash, local.image_repo]

  provisioner "local-exec" {
    working_dir = "${path.module}/.."
    command = join(" ", [
      "gcloud builds submit",
      "--project=${var.project_id}",
      "--region=${var.region}",
      "--config=terraform/cloudbuild.yaml",
      "--substitutions=_IMAGE=${local.image_repo}:${local.source_hash}",
      "--service-account=${google_service_account.build.id}",
      "--gcs-source-staging-dir=gs://${google_storage_bucket.build_sources.name}/source",
      "--quiet",
      ".",
    ])
  }

  depends_on = [time_sleep.iam_propagation]
}

# The digest of what was just built: the services run exactly this image, never a moving tag.
data "google_artifact_registry_docker_image" "app" {
  location      = google_artifact_registry_repository.images.location
  repository_id = google_artifact_registry_repository.images.repository_id
  image_name    = "runner:${local.source_hash}"

  depends_on = [terraform_data.image]
}
