# What operators watch on Google Cloud. The services write one JSON log line per event of a job's
# life (`jsonPayload.metric`, see handlers/metrics/definitions.ts); log-based metrics count and
# measure those lines, so nothing is exported from the scale-to-zero services. The metric list
# and the dashboard are generated from that same TypeScript (npx tsx scripts/write-monitoring.ts),
# and test/terraform/monitoring.test.ts checks they are current.

locals {
  log_metrics = { for metric in jsondecode(file("${path.module}/monitoring-metrics.json")) : metric.name => metric }
  # Where Monitoring lists log-based metrics: logging.googleapis.com/user/<name>.
  user_metric = "logging.googleapis.com/user"
}

resource "google_project_service" "monitoring" {
  project            = var.project_id
  service            = "monitoring.googleapis.com"
  disable_on_destroy = false
}

resource "google_logging_metric" "fleet" {
  for_each = local.log_metrics

  project          = var.project_id
  name             = each.key
  description      = each.value.description
  filter           = each.value.filter
  value_extractor  = each.value.value_extractor
  label_extractors = each.value.labels

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = each.value.value_type
    unit         = each.value.unit
    display_name = each.key

    dynamic "labels" {
      for_each = keys(each.value.labels)
      content {
        key        = labels.value
        value_type = "STRING"
      }
    }
  }

  dynamic "bucket_options" {
    for_each = each.value.bounds == null ? [] : [each.value.bounds]
    content {
      explicit_buckets {
        bounds = bucket_options.value
      }
    }
  }

  # Cloud Logging is on in every project; nothing else here needs to exist first.
}

resource "google_monitoring_dashboard" "fleet" {
  project        = var.project_id
  dashboard_json = file("${path.module}/monitoring-dashboard.json")

  depends_on = [google_logging_metric.fleet, google_project_service.monitoring]
}

locals {
  # name => [display name, filter, aligner, reducer, group by, threshold, duration, what to do]
  alerts = {
    executions_failing = {
      display_name = "Runner executions failing"
      filter       = "metric.type=\"workflows.googleapis.com/finished_execution_count\" AND resource.type=\"workflows.googleapis.com/Workflow\" AND metric.label.status=\"FAILED\""
      aligner      = "ALIGN_SUM"
      reducer      = "REDUCE_SUM"
      group_by     = ["resource.label.workflow_id"]
      threshold    = var.alert_failed_executions
      duration     = "0s"
      advice       = "Executions of the runner or reaper workflow failed in the last 5 minutes. `npm run cli -- executions list FAILED` (with WORKFLOW_ENGINE=cloud) shows them and their cause; a failed runner execution has already deleted its VM, and `executions rerun <id>` gives the job another."
    }
    queue_time_p95 = {
      display_name = "Queue time p95 over ${var.alert_queue_time_p95_seconds} s"
      filter       = "metric.type=\"${local.user_metric}/ghr_queue_time_seconds\" AND resource.type=\"cloud_run_revision\""
      aligner      = "ALIGN_DELTA"
      reducer      = "REDUCE_PERCENTILE_95"
      group_by     = ["metric.label.template"]
      threshold    = var.alert_queue_time_p95_seconds
      duration     = "600s"
      advice       = "Jobs wait long for a runner. The dashboard splits the wait into admission (template at maxRunners), VM create (stockouts, zone fallbacks) and boot to online (image, startup script)."
    }
    vms_past_maximum_age = {
      display_name = "VMs outlived their maximum duration"
      filter       = "metric.type=\"${local.user_metric}/ghr_reaper_actions\" AND resource.type=\"cloud_run_revision\" AND metric.label.reason=\"past_maximum_age\""
      aligner      = "ALIGN_SUM"
      reducer      = "REDUCE_SUM"
      group_by     = []
      threshold    = 0
      duration     = "0s"
      advice       = "The reaper deleted VMs older than idle timeout + max run duration + grace: Compute Engine's own maxRunDuration deletion did not remove them. Look for instances labelled managed-by=github-runner and their delete operations."
    }
    github_rate_limited = {
      display_name = "GitHub rate limit reached"
      filter       = "metric.type=\"${local.user_metric}/ghr_rate_limit_waits\" AND resource.type=\"cloud_run_revision\" AND metric.label.service=\"github\""
      aligner      = "ALIGN_SUM"
      reducer      = "REDUCE_SUM"
      group_by     = []
      threshold    = var.alert_github_rate_limit_waits
      duration     = "0s"
      advice       = "Steps waited for GitHub's rate limit (primary or secondary). Jobs start late until it resets; many installations or a reaper over many runners can cause it."
    }
    webhook_failing = {
      display_name = "Webhook deliveries failing"
      filter       = "metric.type=\"${local.user_metric}/ghr_webhook_failures\" AND resource.type=\"cloud_run_revision\""
      aligner      = "ALIGN_SUM"
      reducer      = "REDUCE_SUM"
      group_by     = []
      threshold    = 0
      duration     = "0s"
      advice       = "The webhook could not queue deliveries (answered 503); the reaper redelivers them from GitHub's delivery log, but jobs wait meanwhile. Check the Cloud Tasks queue and the webhook service's logs."
    }
  }
}

resource "google_monitoring_alert_policy" "fleet" {
  for_each = local.alerts

  project               = var.project_id
  display_name          = each.value.display_name
  combiner              = "OR"
  notification_channels = var.monitoring_notification_channels

  conditions {
    display_name = each.value.display_name
    condition_threshold {
      filter          = each.value.filter
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.threshold
      duration        = each.value.duration

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = each.value.aligner
        cross_series_reducer = each.value.reducer
        group_by_fields      = each.value.group_by
      }

      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    content   = each.value.advice
    mime_type = "text/markdown"
  }

  depends_on = [google_logging_metric.fleet, google_project_service.monitoring]
}
