output "webhook_url" {
  description = "The GitHub App's webhook URL."
  value       = "${google_cloud_run_v2_service.webhook.uri}/webhook"
}

output "github_app_settings" {
  description = "What to enter in the GitHub App's settings (README.md, \"Create the GitHub App\")."
  value = {
    webhook_url    = "${google_cloud_run_v2_service.webhook.uri}/webhook"
    webhook_secret = "terraform output -raw github_webhook_secret"
    events         = ["Workflow job"]
    repository_permissions = {
      actions        = "Read-only"
      administration = "Read and write (only for runners registered on repositories of user accounts)"
      metadata       = "Read-only (mandatory)"
    }
    organization_permissions = {
      self_hosted_runners = "Read and write"
    }
  }
}

output "github_webhook_secret" {
  description = "The webhook secret to enter in the GitHub App (generated unless github_webhook_secret was given)."
  value       = coalesce(var.github_webhook_secret, random_password.webhook_secret.result)
  sensitive   = true
}

output "image" {
  description = "The image the services run; build it before the full apply (build_command)."
  value       = local.image
}

output "build_command" {
  description = "Builds and pushes the image for var.image_tag with Cloud Build; run it from the repository top."
  value = join(" ", [
    "gcloud builds submit",
    "--project=${var.project_id}",
    "--region=${var.region}",
    "--config=terraform/cloudbuild.yaml",
    "--substitutions=_IMAGE=${local.image}",
    "--service-account=${google_service_account.build.id}",
    "--gcs-source-staging-dir=gs://${google_storage_bucket.build_sources.name}/source",
    ".",
  ])
}

output "steps_url" {
  description = "Base URL of the private steps service (what the workflows call)."
  value       = local.steps_url
}

output "runner_workflow" {
  description = "Name of the per-job workflow (WORKFLOW_NAME)."
  value       = google_workflows_workflow.runner.name
}

output "executions_console_url" {
  description = "Cloud Console page listing the runner workflow's executions."
  value       = "https://console.cloud.google.com/workflows/workflow/${var.region}/${google_workflows_workflow.runner.name}/executions?project=${var.project_id}"
}

output "tasks_queue" {
  description = "Full name of the Cloud Tasks queue of job events."
  value       = google_cloud_tasks_queue.jobs.id
}

output "runner_subnetwork" {
  description = "The runner subnetwork (no external IPs, Cloud NAT); startup/bake-image.sh --subnet takes it."
  value       = google_compute_subnetwork.runners.id
}

output "runner_service_account" {
  description = "Email of the runner VMs' service account, which holds no roles."
  value       = google_service_account.runner.email
}

output "runner_image_families" {
  description = "The baked runner image families, by architecture, as templates name them (image: global/images/family/...). The first bake starts with the first apply and takes about ten minutes."
  value       = { for arch in var.bake_architectures : arch => "global/images/family/${var.name_prefix}-${arch}" }
}
