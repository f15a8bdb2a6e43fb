terraform {
  # startswith() in the zone precondition needs 1.5.
  required_version = ">= 1.5"

  required_providers {
    google = {
      source = "hashicorp/google"
      # 6.26 added execution_history_level to google_workflows_workflow; 6.8 added
      # invoker_iam_disabled to google_cloud_run_v2_service. 6.8 invoker_iam_disabled
      # to google_cloud_run_v2_service.
      version = "~> 6.27"
    }
    random = {
      source = "hashicorp/random"
      # random_bytes (the step seal key) arrived in 3.6.
      version = "~> 3.6"
    }
    time = {
      source = "hashicorp/time"
      # time_sleep (waiting for IAM propagation) with `triggers`.
      version = "~> 0.12"
    }
  }
}

provider "google" {
  project        = var.project_id
  region         = var.region
  default_labels = merge({ app = "google-cloud-github-runner" }, var.labels)
}
