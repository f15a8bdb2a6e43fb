# The application image: built by Cloud Build (cloudbuild.yaml, started by build.tf during the
# apply) into this repository, then deployed by digest by run.tf.
resource "google_artifact_registry_repository" "images" {
  repository_id = var.name_prefix
  location      = var.region
  format        = "DOCKER"
  description   = "Images of the GitHub runner service."

  # Keep the 10 newest images; delete others after 30 days (a KEEP policy wins over DELETE).
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 10
    }
  }

  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      tag_state  = "ANY"
      older_than = "2592000s"
    }
  }

  depends_on = [google_project_service.apis]
}

# Where `gcloud builds submit` uploads the source; the build service account reads it from here
# (the default <project>_cloudbuild bucket is not ours to grant on).
resource "google_storage_bucket" "build_sources" {
  name                        = "${var.project_id}-${var.name_prefix}-build"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true

  lifecycle_rule {
    condition {
      age = 7
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}
