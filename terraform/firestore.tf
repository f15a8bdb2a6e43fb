# The steps service's shared state: the runner slots that keep every template under its
# maxRunners, spot re-runs and pauses, and events of VMs that were lost mid-job. In Firestore so
# that any number of steps instances (scale-out, rollouts, scale to zero) keep the same promises.
# A few small documents and a few reads and writes per job: within Firestore's free tier.

locals {
  # Database ids: 4-63 of [a-z0-9-], starting with a letter (name_prefix is at most 20).
  firestore_database   = "${var.name_prefix}-state"
  firestore_collection = "github-runner"
  # Merged into the steps service's environment (run.tf).
  state_env = {
    STATE_STORE          = "firestore"
    FIRESTORE_DATABASE   = google_firestore_database.state.name
    FIRESTORE_COLLECTION = local.firestore_collection
  }
}

resource "google_project_service" "firestore" {
  project            = var.project_id
  service            = "firestore.googleapis.com"
  disable_on_destroy = false
}

# A named database of its own, so that a project whose (default) database serves something else
# is not touched, and this one can be granted alone.
resource "google_firestore_database" "state" {
  project     = var.project_id
  name        = local.firestore_database
  location_id = var.firestore_location == "" ? var.region : var.firestore_location
  type        = "FIRESTORE_NATIVE"
  # The Standard edition's default, set explicitly: transactions lock what they read, which is
  # what the simulator in simulators/firestore reproduces and the tests rest on.
  # https://cloud.google.com/firestore/docs/transaction-data-contention
  concurrency_mode            = "PESSIMISTIC"
  app_engine_integration_mode = "DISABLED"
  delete_protection_state     = var.deletion_protection ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED"
  deletion_policy             = var.deletion_protection ? "ABANDON" : "DELETE"

  depends_on = [google_project_service.firestore]
}

# Records that expire (events of lost VMs after an hour, spot pauses, re-run marks after 30 days)
# carry `expireAt`; Firestore deletes them some time after it (usually within a day: the service
# already reads an expired record as absent). No index on the field: nothing queries it.
# https://cloud.google.com/firestore/docs/ttl
resource "google_firestore_field" "state_ttl" {
  project    = var.project_id
  database   = google_firestore_database.state.name
  collection = local.firestore_collection
  field      = "expireAt"

  ttl_config {}
  index_config {}
}

# Read and write documents, for the steps service alone, and only in this database.
# https://cloud.google.com/firestore/docs/security/iam
resource "google_project_iam_member" "steps_uses_state" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = google_service_account.steps.member

  condition {
    title       = "only-the-runner-state-database"
    description = "Documents of the github-runner state database only"
    expression  = "resource.name == \"projects/${var.project_id}/databases/${google_firestore_database.state.name}\""
  }
}
