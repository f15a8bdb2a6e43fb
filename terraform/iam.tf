# One service account per role, each granted only what its role needs, on the narrowest resource
# the service supports. README.md ("What each role may do") lists every grant with its reason.

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

# The App's secret: read (webhook secret; the volume) and, for /setup, add versions.
resource "google_secret_manager_secret_iam_member" "webhook_reads_github_app" {
  secret_id = google_secret_manager_secret.github_app.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.webhook.member
}

resource "google_secret_manager_secret_iam_member" "webhook_stores_github_app" {
  secret_id = google_secret_manager_secret.github_app.id
  role      = "roles/secretmanager.secretVersionAdder"
  member    = google_service_account.webhook.member
}

resource "google_secret_manager_secret_iam_member" "webhook_reads_setup_token" {
  secret_id = google_secret_manager_secret.setup_token.id
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
# the project, so this is granted there, limited by a condition to this deployment's VMs and their
# boot disks (named after the VM). Creating a Shielded VM with Secure Boot needs no permission of
# its own (compute.instances.updateShieldedInstanceConfig is for changing a stopped VM's).
# Deliberately absent: compute.subnetworks.useExternalIp,
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

  # Instances and disks only when named with this deployment's prefix (RUNNER_NAME_PREFIX, which
  # ends in "--": no other deployment's prefix can start with it, name_prefix has no "--");
  # other resource types (the project for lists, zone operations, images) as the role allows.
  # https://cloud.google.com/iam/docs/conditions-resource-attributes#resource-name
  condition {
    title       = "${var.name_prefix} runner VMs only"
    description = "Runner VMs and boot disks named ${local.runner_name_prefix}*"
    expression = join(" || ", [
      "(resource.type != 'compute.googleapis.com/Instance' && resource.type != 'compute.googleapis.com/Disk')",
      "resource.name.extract('/instances/{name}').startsWith('${local.runner_name_prefix}')",
      "resource.name.extract('/disks/{name}').startsWith('${local.runner_name_prefix}')",
    ])
  }
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

resource "google_secret_manager_secret_iam_member" "steps_reads_github_app" {
  secret_id = google_secret_manager_secret.github_app.id
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
