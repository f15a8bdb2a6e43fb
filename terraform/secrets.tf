# Secrets the services read at start (Cloud Run resolves them into environment variables).
# Values that Terraform writes here are also in Terraform state: keep the state in a bucket only
# the operators can read, or add the App key out of band (README.md, "Deploy to Google Cloud").

resource "google_secret_manager_secret" "github_app_key" {
  secret_id = "${var.name_prefix}-github-app-key"

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_version" "github_app_key" {
  # Only whether a key was given is revealed, not the key.
  count = nonsensitive(var.github_app_private_key != null) ? 1 : 0

  secret      = google_secret_manager_secret.github_app_key.id
  secret_data = var.github_app_private_key
}

resource "google_secret_manager_secret" "webhook_secret" {
  secret_id = "${var.name_prefix}-github-webhook-secret"

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

resource "random_password" "webhook_secret" {
  length  = 40
  special = false
}

resource "google_secret_manager_secret_version" "webhook_secret" {
  secret      = google_secret_manager_secret.webhook_secret.id
  secret_data = coalesce(var.github_webhook_secret, random_password.webhook_secret.result)
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
