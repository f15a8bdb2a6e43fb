variable "project_id" {
  type        = string
  description = "Google Cloud project that holds everything: services, workflows, queue, network and the runner VMs."
}

variable "region" {
  type        = string
  description = "Region of the Cloud Run services, workflows, queue, scheduler, Artifact Registry repository and runner subnetwork."
  default     = "us-central1"
}

variable "zones" {
  type        = list(string)
  description = "Zones runner VMs are created in, tried in order on stockout; all in var.region. Used as the templates' default zones when runner_templates_yaml sets none."

  validation {
    condition     = length(var.zones) > 0
    error_message = "Give at least one zone."
  }
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name (services, workflows, queue, network, service accounts). At most 20 characters so that service account ids stay within 30."
  default     = "gh-runner"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,18}[a-z0-9]$", var.name_prefix))
    error_message = "Lowercase letters, digits and dashes, starting with a letter, at most 20 characters."
  }
}

variable "labels" {
  type        = map(string)
  description = "Labels added to every resource that takes labels (the provider's default_labels)."
  default     = {}
}

variable "github_app_id" {
  type        = string
  description = "The GitHub App's id (App settings, \"App ID\")."
}

variable "github_api_url" {
  type        = string
  description = "GitHub API base URL; empty for github.com. GitHub Enterprise Server: https://HOST/api/v3."
  default     = ""
}

variable "github_app_private_key" {
  type        = string
  description = "The GitHub App's private key (PEM). Null leaves the secret without a version: add one out of band (README.md, \"Deploy to Google Cloud\") so the key never enters Terraform state."
  default     = null
  sensitive   = true
}

variable "github_webhook_secret" {
  type        = string
  description = "The GitHub App's webhook secret. Null generates one; read it with `terraform output -raw github_webhook_secret`."
  default     = null
  sensitive   = true
}

variable "image_tag" {
  type        = string
  description = "Tag of the application image in this deployment's Artifact Registry repository, as built by terraform/cloudbuild.yaml. Use an immutable tag (e.g. the git commit) so that a new tag rolls out a new revision."

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "A Docker tag: letters, digits, _ . -, at most 128 characters."
  }
}

variable "runner_templates_yaml" {
  type        = string
  description = "The runner templates file (YAML, the format of runner-templates.yaml; the app validates it at start-up). Terraform merges the runner subnetwork, the runner service account and, when absent, var.zones into its defaults; templates must not set subnetwork or serviceAccount themselves."

  validation {
    condition     = can(yamldecode(var.runner_templates_yaml).templates[0].name)
    error_message = "runner_templates_yaml must be YAML with a non-empty `templates` list (see examples/terraform.tfvars.example)."
  }

  validation {
    condition = try(alltrue([
      for block in concat([try(yamldecode(var.runner_templates_yaml).defaults, null)], yamldecode(var.runner_templates_yaml).templates) :
      length(setintersection(try(keys(block), []), ["subnetwork", "serviceAccount"])) == 0
    ]), false)
    error_message = "subnetwork and serviceAccount are set by Terraform (the runner subnetwork without external IPs and the runner service account without roles); remove them from runner_templates_yaml."
  }
}

variable "subnet_cidr" {
  type        = string
  description = "Primary IPv4 range of the runner subnetwork; one address per concurrent runner VM (a /20 holds 4092)."
  default     = "10.64.0.0/20"

  validation {
    condition     = can(cidrhost(var.subnet_cidr, 0))
    error_message = "An IPv4 CIDR range such as 10.64.0.0/20."
  }
}

variable "enable_iap_ssh" {
  type        = bool
  description = "Admit SSH to runner VMs from Identity-Aware Proxy's TCP forwarding range only (35.235.240.0/20), for debugging. Off: runners admit no ingress at all."
  default     = false
}

variable "webhook_min_instances" {
  type        = number
  description = "Minimum instances of the webhook service. 0 costs nothing when idle; GitHub waits 10 s for a delivery, well above a cold start."
  default     = 0
}

variable "webhook_max_instances" {
  type        = number
  description = "Maximum instances of the webhook service."
  default     = 5
}

variable "steps_max_instances" {
  type        = number
  description = "Maximum instances of the steps service (workflow steps and the dispatcher): capacity only, as the runner cap and the other shared state live in Firestore. Each instance serves 80 requests at once."
  default     = 5
}

variable "tasks_max_dispatches_per_second" {
  type        = number
  description = "Cloud Tasks dispatch rate of job events to the dispatcher: with concurrency, the cap on how fast executions (and so VMs) are started."
  default     = 5
}

variable "tasks_max_concurrent_dispatches" {
  type        = number
  description = "Cloud Tasks cap on job events being dispatched at once."
  default     = 20
}

variable "tasks_max_attempts" {
  type        = number
  description = "Attempts per job event before Cloud Tasks gives up on it (-1: no limit within a day)."
  default     = 100
}

variable "reaper_schedule" {
  type        = string
  description = "Cron schedule (UTC) of the reaper workflow, which removes leaked VMs and runners and redelivers failed webhook deliveries."
  default     = "*/5 * * * *"
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the Cloud Run services and workflows from `terraform destroy`. Off makes teardown one command."
  default     = false
}

variable "firestore_location" {
  type        = string
  description = "Location of the Firestore database that holds the steps service's shared state (runner slots, spot state); empty: the region. A multi-region such as nam5 also works."
  default     = ""
}
