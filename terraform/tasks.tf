# Job events from the webhook to the dispatcher. Task names are hashes of the job event, so a
# duplicate delivery is refused by the queue; the rate limits are the create-rate limit.
resource "google_cloud_tasks_queue" "jobs" {
  name     = local.names.queue
  location = var.region

  rate_limits {
    max_dispatches_per_second = var.tasks_max_dispatches_per_second
    max_concurrent_dispatches = var.tasks_max_concurrent_dispatches
  }

  # GitHub drops a job that stays queued for 24 hours, so retrying past a day is pointless.
  # Backoff 1 s doubling to 5 min rides out a cold start and a short outage alike.
  retry_config {
    max_attempts       = var.tasks_max_attempts
    max_retry_duration = "86400s"
    min_backoff        = "1s"
    max_backoff        = "300s"
    max_doublings      = 8
  }

  # Attempt outcomes (status codes, no payloads) for operators.
  stackdriver_logging_config {
    sampling_ratio = 1.0
  }

  depends_on = [google_project_service.apis]
}
