# Secrets the services read. Values that Terraform writes here are also in Terraform state: keep
# the state in a bucket only the operators can read (README.md, "Deploy to Google Cloud").

# The GitHub App as one JSON document {appId, privateKey, webhookSecret}: /setup adds a version
# (the webhook service may add versions, not read other secrets), and both services mount it as a
# volume, whose every read returns the latest version, so a new App is used without a restart.
resource "google_secret_manager_secret" "github_app" {
  secret_id = "${var.name_prefix}-github-app"

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

# An empty document ("no App yet") as the first version, so the volume both services mount always
# has a version to read before /setup stores the App. Created once; never replaced or destroyed.
resource "google_secret_manager_secret_version" "github_app_placeholder" {
  secret          = google_secret_manager_secret.github_app.id
  secret_data     = jsonencode({})
  deletion_policy = "ABANDON"

  lifecycle {
    ignore_changes = [secret_data]
  }
}

# Only for an App made by hand and given as variables (otherwise /setup stores it). ABANDON: a later
# apply without the variables must not destroy the version the services run on.
resource "google_secret_manager_secret_version" "github_app" {
  count = nonsensitive(var.github_app_private_key != null) ? 1 : 0

  secret          = google_secret_manager_secret.github_app.id
  deletion_policy = "ABANDON"
  secret_data = jsonencode({
    appId         = var.github_app_id
    privateKey    = var.github_app_private_key
    webhookSecret = var.github_webhook_secret
  })

  lifecycle {
    precondition {
      condition     = var.github_app_id != null && var.github_webhook_secret != null
      error_message = "github_app_private_key needs github_app_id and github_webhook_secret too (or leave all three unset and use /setup)."
    }
  }

  # After the placeholder, so that it is the latest version.
  depends_on = [google_secret_manager_secret_version.github_app_placeholder]
}

# The token /setup asks for: random, never a default password. Read it with
# `terraform output -raw setup_token`.
resource "random_password" "setup_token" {
  length  = 32
  special = false
}

resource "google_secret_manager_secret" "setup_token" {
  secret_id = "${var.name_prefix}-setup-token"

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_version" "setup_token" {
  secret      = google_secret_manager_secret.setup_token.id
  secret_data = random_password.setup_token.result
}

# The key that seals JIT configs between the mint-token and create-vm steps, so no workflow
# execution holds a usable runner credential. 32 random bytes, base64, as STEP_SEAL_KEY expects.
resource "google_secret_manager_secret" "step_seal_key" {
  secret_id = "${var.name_prefix}-step-seal-key"

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

resource "random_bytes" "step_seal_key" {
  length = 32
}

resource "google_secret_manager_secret_version" "step_seal_key" {
  secret      = google_secret_manager_secret.step_seal_key.id
  secret_data = random_bytes.step_seal_key.base64
}
