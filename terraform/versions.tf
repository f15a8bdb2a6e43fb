terraform {
  # startswith() in the zone precondition needs 1.5.
  required_version = ">= 1.5"

  required_providers {
    google = {
      source = "hashicorp/google"
      # 6.26 added execution_history_level to google_workflows_workflow.
      version = "~> 6.27"
    }
    random = {
      source = "hashicorp/random"
      # random_bytes (the step seal key) arrived in 3.6.
      version = "~> 3.6"
    }
  }
}

provider "google" {
  project        = var.project_id
  region         = var.region
  default_labels = merge({ app = "google-cloud-github-runner" }, var.labels)
}
