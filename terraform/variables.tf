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
    condition     = can(regex("^[a-z][a-z0-9-]{0,18}[a-z0-9]$", var.name_prefix)) && !strcontains(var.name_prefix, "--")
    error_message = "Lowercase letters, digits and single dashes, starting with a letter, at most 20 characters (\"--\" separates it from runner names)."
  }
}

variable "labels" {
  type        = map(string)
  description = "Labels added to every resource that takes labels (the provider's default_labels)."
  default     = {}
}

variable "github_app_id" {
  type        = string
  description = "Only for an App made by hand: its id. Null (the default): open the setup_url output and /setup creates the App."
  default     = null
}

variable "github_api_url" {
  type        = string
  description = "GitHub API base URL; empty for github.com. GitHub Enterprise Server: https://HOST/api/v3 (/setup then creates the App there)."
  default     = ""
}

variable "github_app_private_key" {
  type        = string
  description = "Only for an App made by hand: its private key (PEM), with github_app_id and github_webhook_secret. It then lands in Terraform state; /setup avoids that."
  default     = null
  sensitive   = true
}

variable "github_webhook_secret" {
  type        = string
  description = "Only for an App made by hand: its webhook secret."
  default     = null
  sensitive   = true
}

variable "github_app_name" {
  type        = string
  description = "The App name /setup suggests (unique on GitHub, at most 34 characters)."
  default     = "google-cloud-github-runner"

  validation {
    condition     = length(var.github_app_name) <= 34
    error_message = "At most 34 characters (GitHub's limit)."
  }
}

variable "nat_ip_count" {
  type        = number
  description = "0: Cloud NAT picks egress addresses itself. N > 0: reserve N static addresses for runner egress, for organizations with a GitHub IP allow list (the nat_ips output lists them)."
  default     = 0
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

variable "monitoring_notification_channels" {
  type        = list(string)
  description = "Notification channels (projects/P/notificationChannels/ID) the alert policies notify: executions failing, queue time p95, VMs past their maximum age, GitHub rate limit, webhook failures. Empty: the alerts open incidents in the console only."
  default     = []
}

variable "alert_queue_time_p95_seconds" {
  type        = number
  description = "Alert when the 95th percentile of queue time (GitHub queued the job → a runner of ours took it) of any template stays above this many seconds for 10 minutes."
  default     = 300
}

variable "alert_failed_executions" {
  type        = number
  description = "Alert when more runner or reaper workflow executions than this fail within 5 minutes (0: alert on the first)."
  default     = 0
}

variable "alert_github_rate_limit_waits" {
  type        = number
  description = "Alert when steps are told to wait by GitHub's rate limit more than this many times within 5 minutes (0: alert on the first)."
  default     = 0
}

variable "bake_architectures" {
  type        = list(string)
  description = "Architectures whose runner image is baked (terraform/bake.tf): image families <name_prefix>-x64 and <name_prefix>-arm64, which templates name as global/images/family/<family>."
  default     = ["x64", "arm64"]

  validation {
    condition     = length(var.bake_architectures) > 0 && alltrue([for arch in var.bake_architectures : contains(["x64", "arm64"], arch)])
    error_message = "bake_architectures lists x64 and/or arm64."
  }
}

variable "bake_schedule" {
  type        = string
  description = "Cron schedule (UTC) of the bake check: a new image is baked when the newest lacks the latest actions/runner release or is bake_max_age_days old."
  default     = "0 4 * * *"
}

variable "bake_max_age_days" {
  type        = number
  description = "Age in days after which a runner image is baked again even without a new runner release (OS and tool updates)."
  default     = 7
}

variable "bake_keep_images" {
  type        = number
  description = "Images kept per family; older ones are deleted after each bake. The previous ones are the rollback (deprecate a bad image and the family resolves to the one before)."
  default     = 3
}

variable "bake_zone" {
  type        = string
  description = "Zone of the temporary bake VMs; empty = the first of var.zones. arm64 needs a zone with T2A machines (e.g. us-central1-a)."
  default     = ""
}

variable "firestore_location" {
  type        = string
  description = "Location of the Firestore database that holds the steps service's shared state (runner slots, spot state); empty: the region. A multi-region such as nam5 also works."
  default     = ""
}
