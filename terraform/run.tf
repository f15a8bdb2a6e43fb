# Two Cloud Run services from one image; SERVICE_ROLE decides which routes each mounts.
# webhook: public (GitHub's deliveries and /setup), checks signatures; the only public service.
# steps: internal ingress and IAM (the workflows and Cloud Tasks service accounts only).
# Both run the image by digest, as built by build.tf from the sources of this apply.

resource "google_cloud_run_v2_service" "webhook" {
  name                = local.names.webhook
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = var.deletion_protection
  # GitHub cannot authenticate to Google, so the service is public. Disabling the invoker check is
  # Google's way for public services where Domain Restricted Sharing refuses allUsers
  # (https://cloud.google.com/run/docs/authenticating/public#invoker_check).
  invoker_iam_disabled = true

  template {
    service_account                  = google_service_account.webhook.email
    timeout                          = "30s"
    max_instance_request_concurrency = 80

    scaling {
      min_instance_count = var.webhook_min_instances
      max_instance_count = var.webhook_max_instances
    }

    volumes {
      name = "github-app"
      secret {
        secret = google_secret_manager_secret.github_app.secret_id
        items {
          version = "latest"
          path    = "github-app.json"
        }
      }
    }

    containers {
      image = data.google_artifact_registry_docker_image.app.self_link

      ports {
        container_port = 8080
      }

      resources {
        limits            = { cpu = "1", memory = "512Mi" }
        cpu_idle          = true
        startup_cpu_boost = true
      }

      volume_mounts {
        name       = "github-app"
        mount_path = "/secrets/github-app"
      }

      dynamic "env" {
        for_each = merge(local.common_env, {
          SERVICE_ROLE                  = "webhook"
          PUBLIC_URL                    = local.webhook_url
          GITHUB_APP_CREDENTIALS_SECRET = google_secret_manager_secret.github_app.id
          GITHUB_APP_NAME               = var.github_app_name
        })
        content {
          name  = env.key
          value = env.value
        }
      }

      # Fixed for the life of the deployment, so an environment variable (resolved at start) is right.
      env {
        name = "SETUP_TOKEN"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.setup_token.secret_id
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
    time_sleep.iam_propagation,
    google_secret_manager_secret_iam_member.webhook_stores_github_app,
    google_secret_manager_secret_iam_member.webhook_reads_setup_token,
    google_secret_manager_secret_version.setup_token,
    google_secret_manager_secret_version.github_app_placeholder,
    google_secret_manager_secret_version.github_app,
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

    volumes {
      name = "github-app"
      secret {
        secret = google_secret_manager_secret.github_app.secret_id
        items {
          version = "latest"
          path    = "github-app.json"
        }
      }
    }

    containers {
      image = data.google_artifact_registry_docker_image.app.self_link

      ports {
        container_port = 8080
      }

      resources {
        limits            = { cpu = "1", memory = "512Mi" }
        cpu_idle          = true
        startup_cpu_boost = true
      }

      volume_mounts {
        name       = "github-app"
        mount_path = "/secrets/github-app"
      }

      dynamic "env" {
        for_each = merge(local.common_env, { SERVICE_ROLE = "steps" }, local.state_env)
        content {
          name  = env.key
          value = env.value
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
    time_sleep.iam_propagation,
    google_secret_manager_secret_iam_member.steps_reads_seal_key,
    google_secret_manager_secret_version.step_seal_key,
    google_secret_manager_secret_version.github_app_placeholder,
    google_secret_manager_secret_version.github_app,
  ]
}
