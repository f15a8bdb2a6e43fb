# The workflows are deployed byte-for-byte as the tests run them: file(), never templatefile().
# What differs per deployment reaches them through user_env_vars (sys.get_env).
# Basic history: detailed history and LOG_ALL_CALLS would record step arguments and results.
# The runner logs nothing by itself (LOG_NONE): with LOG_ERRORS_ONLY every expected wait (a
# callback TimeoutError at each VM check) and every handled retry would be an error entry. It
# writes one ERROR entry of its own (sys.log) when an execution fails, before deleting the VM.

resource "google_workflows_workflow" "runner" {
  name                    = local.names.runner_wf
  region                  = var.region
  description             = "One GitHub Actions job: validate, mint a JIT runner, create its VM, await start and finish, delete the VM."
  service_account         = google_service_account.workflows.id
  source_contents         = file("${path.module}/../workflows/runner.yaml")
  user_env_vars           = { STEPS_URL = local.steps_url }
  call_log_level          = "LOG_NONE"
  execution_history_level = "EXECUTION_HISTORY_BASIC"
  deletion_protection     = var.deletion_protection

  depends_on = [google_project_service.apis]
}

resource "google_workflows_workflow" "reaper" {
  name                    = local.names.reaper_wf
  region                  = var.region
  description             = "Scheduled sweep: removes leaked runner VMs and registrations, redelivers failed webhook deliveries."
  service_account         = google_service_account.workflows.id
  source_contents         = file("${path.module}/../workflows/reaper.yaml")
  user_env_vars           = { STEPS_URL = local.steps_url }
  call_log_level          = "LOG_ERRORS_ONLY"
  execution_history_level = "EXECUTION_HISTORY_BASIC"
  deletion_protection     = var.deletion_protection

  depends_on = [google_project_service.apis]
}
