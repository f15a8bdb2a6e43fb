# One service account per role, each granted only what its role needs, on the narrowest resource
# the service supports. README.md ("IAM grants") lists every grant with its reason.

resource "google_service_account" "webhook" {
  account_id   = "${var.name_prefix}-webhook"
  display_name = "GitHub runner: webhook service"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "steps" {
  account_id   = "${var.name_prefix}-steps"
  display_name = "GitHub runner: steps service (workflow steps, dispatcher)"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "workflows" {
  account_id   = "${var.name_prefix}-workflows"
  display_name = "GitHub runner: runner and reaper workflows"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "tasks" {
  account_id   = "${var.name_prefix}-tasks"
  display_name = "GitHub runner: Cloud Tasks calls to the dispatcher"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "scheduler" {
  account_id   = "${var.name_prefix}-scheduler"
  display_name = "GitHub runner: Cloud Scheduler starts the reaper"
  depends_on   = [google_project_service.apis]
}

# Runner VMs run this account and it has no role anywhere: a job can read nothing of the project.
resource "google_service_account" "runner" {
  account_id   = "${var.name_prefix}-runner"
  display_name = "GitHub runner: runner VMs (no roles)"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "build" {
  account_id   = "${var.name_prefix}-build"
  display_name = "GitHub runner: Cloud Build of the application image"
  depends_on   = [google_project_service.apis]
}

# --- webhook -----------------------------------------------------------------------------------

resource "google_secret_manager_secret_iam_member" "webhook_reads_webhook_secret" {
  secret_id = google_secret_manager_secret.webhook_secret.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.webhook.member
}

resource "google_cloud_tasks_queue_iam_member" "webhook_enqueues_jobs" {
  name     = google_cloud_tasks_queue.jobs.name
  location = google_cloud_tasks_queue.jobs.location
  role     = "roles/cloudtasks.enqueuer"
  member   = google_service_account.webhook.member
}

# Creating a task whose OIDC token is minted for the tasks account needs actAs on that account.
resource "google_service_account_iam_member" "webhook_acts_as_tasks" {
  service_account_id = google_service_account.tasks.name
  role               = "roles/iam.serviceAccountUser"
  member             = google_service_account.webhook.member
}

# --- steps -------------------------------------------------------------------------------------

# Instance admin cut down to what one-VM-per-job needs. Compute Engine checks instances.create on
# the project, so this is granted there. Deliberately absent: compute.subnetworks.useExternalIp,
# compute.networks.useExternalIp and compute.addresses.use, so Compute Engine itself refuses a
# runner VM with an external IP.
resource "google_project_iam_custom_role" "runner_vm_admin" {
  role_id     = "${replace(var.name_prefix, "-", "_")}_vm_admin"
  title       = "GitHub runner VM admin"
  description = "Create, read, list and delete runner VMs and wait on their zone operations."
  permissions = [
    "compute.disks.create",
    "compute.disks.delete",
    "compute.images.useReadOnly",
    "compute.instances.create",
    "compute.instances.delete",
    "compute.instances.get",
    "compute.instances.list",
    "compute.instances.setLabels",
    "compute.instances.setMetadata",
    "compute.instances.setServiceAccount",
    "compute.instances.setTags",
    "compute.zoneOperations.get",
  ]
  depends_on = [google_project_service.apis]
}

resource "google_project_iam_member" "steps_vm_admin" {
  project = var.project_id
  role    = google_project_iam_custom_role.runner_vm_admin.name
  member  = google_service_account.steps.member
}

# compute.subnetworks.use on the runner subnetwork only (roles/compute.networkUser would add
# useExternalIp): VMs can be attached to this subnetwork and no other.
resource "google_project_iam_custom_role" "runner_subnet_user" {
  role_id     = "${replace(var.name_prefix, "-", "_")}_subnet_user"
  title       = "GitHub runner subnetwork user"
  description = "Attach runner VMs to the runner subnetwork, without external IPs."
  permissions = ["compute.subnetworks.use"]
  depends_on  = [google_project_service.apis]
}

resource "google_compute_subnetwork_iam_member" "steps_uses_runner_subnet" {
  subnetwork = google_compute_subnetwork.runners.name
  region     = var.region
  role       = google_project_iam_custom_role.runner_subnet_user.name
  member     = google_service_account.steps.member
}

# Creating a VM that runs as the runner account needs actAs on that account (and on no other).
resource "google_service_account_iam_member" "steps_acts_as_runner" {
  service_account_id = google_service_account.runner.name
  role               = "roles/iam.serviceAccountUser"
  member             = google_service_account.steps.member
}

# Start runner executions, send them callbacks, read their state (the reaper). Workflows grants
# roles on the project only: there is no per-workflow IAM.
resource "google_project_iam_member" "steps_invokes_workflows" {
  project = var.project_id
  role    = "roles/workflows.invoker"
  member  = google_service_account.steps.member
}

resource "google_secret_manager_secret_iam_member" "steps_reads_app_key" {
  secret_id = google_secret_manager_secret.github_app_key.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.steps.member
}

resource "google_secret_manager_secret_iam_member" "steps_reads_seal_key" {
  secret_id = google_secret_manager_secret.step_seal_key.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.steps.member
}

# --- workflows, tasks, scheduler ---------------------------------------------------------------

resource "google_cloud_run_v2_service_iam_member" "workflows_invoke_steps" {
  name     = google_cloud_run_v2_service.steps.name
  location = google_cloud_run_v2_service.steps.location
  role     = "roles/run.invoker"
  member   = google_service_account.workflows.member
}

# Workflows writes sys.log and call-error logs as its service account.
resource "google_project_iam_member" "workflows_write_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = google_service_account.workflows.member
}

resource "google_cloud_run_v2_service_iam_member" "tasks_invoke_steps" {
  name     = google_cloud_run_v2_service.steps.name
  location = google_cloud_run_v2_service.steps.location
  role     = "roles/run.invoker"
  member   = google_service_account.tasks.member
}

# Project level for the same reason as steps_invokes_workflows.
resource "google_project_iam_member" "scheduler_invokes_workflows" {
  project = var.project_id
  role    = "roles/workflows.invoker"
  member  = google_service_account.scheduler.member
}

# --- the public webhook ------------------------------------------------------------------------

# GitHub cannot authenticate to Google: the webhook route is public and checks GitHub's
# signature itself. This is the only allUsers grant.
resource "google_cloud_run_v2_service_iam_member" "webhook_public" {
  name     = google_cloud_run_v2_service.webhook.name
  location = google_cloud_run_v2_service.webhook.location
  role     = "roles/run.invoker"
  member   = "allUsers"
}

# --- image build -------------------------------------------------------------------------------

resource "google_artifact_registry_repository_iam_member" "build_pushes_images" {
  repository = google_artifact_registry_repository.images.name
  location   = google_artifact_registry_repository.images.location
  role       = "roles/artifactregistry.writer"
  member     = google_service_account.build.member
}

resource "google_storage_bucket_iam_member" "build_reads_sources" {
  bucket = google_storage_bucket.build_sources.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.build.member
}

# Cloud Build with a user-chosen service account writes build logs to Cloud Logging as it.
resource "google_project_iam_member" "build_writes_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = google_service_account.build.member
}
