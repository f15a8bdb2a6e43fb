# Starts a reaper execution on schedule through the Workflow Executions API.
resource "google_cloud_scheduler_job" "reaper" {
  name             = "${var.name_prefix}-reaper"
  region           = var.region
  description      = "Starts the reaper workflow."
  schedule         = var.reaper_schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "60s"

  # A missed start is covered by the next one a few minutes later.
  retry_config {
    retry_count = 0
  }

  http_target {
    http_method = "POST"
    uri         = "https://workflowexecutions.googleapis.com/v1/${google_workflows_workflow.reaper.id}/executions"
    headers     = { "Content-Type" = "application/json" }
    body        = base64encode(jsonencode({ argument = jsonencode({}), callLogLevel = "LOG_ERRORS_ONLY" }))

    oauth_token {
      service_account_email = google_service_account.scheduler.email
      scope                 = "https://www.googleapis.com/auth/cloud-platform"
    }
  }

  depends_on = [google_project_iam_member.scheduler_invokes_workflows]
}
