output "webhook_url" {
  description = "The GitHub App's webhook URL."
  value       = "${local.webhook_url}/webhook"
}

# The deterministic URL, which the App's manifest uses too: the setup cookie is per host.
output "setup_url" {
  description = "Open this in a browser to create the GitHub App (it asks for the setup_token)."
  value       = "${local.webhook_url}/setup"
}

output "setup_token" {
  description = "The token /setup asks for: `terraform output -raw setup_token`."
  value       = random_password.setup_token.result
  sensitive   = true
}

output "github_app_settings" {
  description = "What /setup asks GitHub for; also what to enter for an App made by hand (github_app_* variables)."
  value = {
    webhook_url = "${local.webhook_url}/webhook"
    events      = ["Workflow job"]
    repository_permissions = {
      # Read and write only where spot VMs re-run preempted jobs.
      actions        = anytrue([for t in local.templates_file.templates : try(t.spot, try(local.templates_file.defaults.spot, false))]) ? "Read and write" : "Read-only"
      administration = "Read and write (only for runners registered on repositories of user accounts)"
      metadata       = "Read-only (mandatory)"
    }
    organization_permissions = {
      self_hosted_runners = "Read and write"
    }
  }
}

output "image" {
  description = "The image both services run, by digest (built by build.tf from this checkout)."
  value       = data.google_artifact_registry_docker_image.app.self_link
}

output "nat_ips" {
  description = "Reserved egress addresses of the runners (nat_ip_count > 0), for a GitHub IP allow list."
  value       = google_compute_address.nat[*].address
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
