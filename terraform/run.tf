# Two Cloud Run services from one image; SERVICE_ROLE decides which routes each mounts.
# webhook: public (GitHub's deliveries), only POST /webhook and GET /healthz, checks signatures.
# steps: internal ingress and IAM (the workflows and Cloud Tasks service accounts only).

resource "google_cloud_run_v2_service" "webhook" {
  name                = local.names.webhook
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = var.deletion_protection

  template {
    service_account                  = google_service_account.webhook.email
    timeout                          = "30s"
    max_instance_request_concurrency = 80

    scaling {
      min_instance_count = var.webhook_min_instances
      max_instance_count = var.webhook_max_instances
    }

    containers {
      image = local.image

      ports {
        container_port = 8080
      }

      resources {
        limits            = { cpu = "1", memory = "512Mi" }
        cpu_idle          = true
        startup_cpu_boost = true
      }

      dynamic "env" {
        for_each = merge(local.common_env, { SERVICE_ROLE = "webhook" })
        content {
          name  = env.key
          value = env.value
        }
      }

      # The webhook needs no App key and no seal key: it verifies, classifies and enqueues.
      env {
        name = "GITHUB_WEBHOOK_SECRET"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.webhook_secret.secret_id
            version = "latest"
          }
        }
      }

      startup_probe {
        period_seconds    = 2
        timeout_seconds   = 2
        failure_threshold = 30
        http_get {
          path = "/healthz"
        }
      }
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.webhook_reads_webhook_secret,
    google_secret_manager_secret_version.webhook_secret,
  ]
}

resource "google_cloud_run_v2_service" "steps" {
  name     = local.names.steps
  location = var.region
  # Workflows and Cloud Tasks of this project count as internal traffic; the internet does not.
  ingress             = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  deletion_protection = var.deletion_protection
  # OIDC audiences the callers may use: the deterministic URL (workflows' `audience`) and the
  # dispatch URL (Cloud Tasks' default audience is the full target URL).
  custom_audiences = [local.steps_url, "${local.steps_url}/dispatch"]

  template {
    service_account = google_service_account.steps.email
    # create-vm waits for the zone operation, which can take a minute or two.
    timeout                          = "300s"
    max_instance_request_concurrency = 80

    scaling {
      min_instance_count = 0
      max_instance_count = var.steps_max_instances
    }

    containers {
      image = local.image

      ports {
        container_port = 8080
      }

      resources {
        limits            = { cpu = "1", memory = "512Mi" }
        cpu_idle          = true
        startup_cpu_boost = true
      }

      dynamic "env" {
        for_each = merge(local.common_env, { SERVICE_ROLE = "steps" }, local.state_env)
        content {
          name  = env.key
          value = env.value
        }
      }

      # The steps need no webhook secret: they never see a delivery.
      env {
        name = "GITHUB_APP_PRIVATE_KEY"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.github_app_key.secret_id
            version = "latest"
          }
        }
      }

      env {
        name = "STEP_SEAL_KEY"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.step_seal_key.secret_id
            version = "latest"
          }
        }
      }

      # A TCP probe: the listening port is the readiness signal the steps role is sure to give.
      startup_probe {
        period_seconds    = 2
        timeout_seconds   = 2
        failure_threshold = 30
        tcp_socket {
          port = 8080
        }
      }
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.steps_reads_app_key,
    google_secret_manager_secret_iam_member.steps_reads_seal_key,
    google_secret_manager_secret_version.step_seal_key,
  ]
}
