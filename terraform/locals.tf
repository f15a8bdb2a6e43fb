locals {
  names = {
    webhook   = "${var.name_prefix}-webhook"
    steps     = "${var.name_prefix}-steps"
    runner_wf = "${var.name_prefix}-runner"
    reaper_wf = "${var.name_prefix}-reaper"
    queue     = "${var.name_prefix}-jobs"
  }

  # Cloud Run's deterministic URL (https://SERVICE-PROJECT_NUMBER.REGION.run.app) is known before
  # the service exists, so the steps service, the webhook and both workflows can all be given it
  # without a dependency cycle (the steps service needs its own URL too).
  steps_url   = "https://${local.names.steps}-${data.google_project.this.number}.${var.region}.run.app"
  webhook_url = "https://${local.names.webhook}-${data.google_project.this.number}.${var.region}.run.app"

  # Per deployment, so two deployments in one project never touch each other's VMs (the IAM
  # condition in iam.tf, the reaper's label filter). "--" cannot occur in name_prefix, so no other
  # deployment's VM names start with this.
  runner_name_prefix = "${var.name_prefix}--"

  # The templates file as the app reads it (RUNNER_TEMPLATES_YAML): the user's YAML with the
  # infrastructure facts Terraform owns merged into `defaults`. var.zones fills in zones only when
  # the YAML sets none; the subnetwork and the runner service account always come from here.
  templates_file = yamldecode(var.runner_templates_yaml)
  templates_defaults = merge(
    { zones = var.zones },
    try(local.templates_file.defaults, null),
    {
      subnetwork     = google_compute_subnetwork.runners.id
      serviceAccount = google_service_account.runner.email
    },
  )
  runner_templates_yaml = yamlencode(merge(local.templates_file, { defaults = local.templates_defaults }))
  template_zones        = distinct(flatten(concat([local.templates_defaults.zones], [for t in local.templates_file.templates : try(t.zones, [])])))

  # Environment both services share. GITHUB_API_URL only when set (empty = api.github.com); the
  # condition is on the variable, not on the values, so the keys are known at plan time.
  common_env = merge(
    {
      GITHUB_APP_CREDENTIALS_FILE = "/secrets/github-app/github-app.json"
      RUNNER_NAME_PREFIX          = trimsuffix(local.runner_name_prefix, "-")
      MANAGED_BY_LABEL            = var.name_prefix
      GOOGLE_CLOUD_PROJECT        = var.project_id
      WORKFLOW_ENGINE             = "cloud"
      WORKFLOW_LOCATION           = var.region
      WORKFLOW_NAME               = google_workflows_workflow.runner.name
      RUNNER_TEMPLATES_YAML       = local.runner_templates_yaml
      STEPS_URL                   = local.steps_url
      TASKS_QUEUE                 = google_cloud_tasks_queue.jobs.id
      TASKS_SERVICE_ACCOUNT       = google_service_account.tasks.email
    },
    var.github_api_url == "" ? {} : { GITHUB_API_URL = var.github_api_url },
  )
}
