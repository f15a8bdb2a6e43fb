/**
 * Every metric of the fleet, named once. A metric is a JSON log line whose `metric` field names the
 * event (see `emitMetric`): on Google Cloud, Terraform turns these same definitions into log-based
 * metrics (terraform/monitoring-metrics.json, written from this file); locally, `MetricStore` counts
 * the same lines as they are logged and serves them at `/` and `/metrics`.
 *
 * Why log lines and not OpenTelemetry: both Cloud Run services scale to zero, and an instance can be
 * stopped between a request and the next export interval, so in-memory instruments lose their last
 * points; a log line is written when the event happens and Cloud Logging keeps it. It costs nothing
 * on the webhook's hot path (the webhook's one decision line carries the field), needs no exporter,
 * collector or extra IAM role, and the same line serves the local page.
 */

/** The fields each event carries. Labels are low-cardinality; runnerName/jobId are for timelines only. */
export interface MetricEvents {
  readonly job_queued: { readonly template: string };
  readonly job_admitted: { readonly template: string; readonly waitSeconds: number; readonly jobId: number };
  readonly job_skipped: { readonly template: string; readonly reason: SkipReason; readonly jobId: number };
  readonly vm_created: { readonly template: string; readonly spot: boolean; readonly zone: string; readonly createSeconds: number; readonly runnerName: string };
  readonly zone_refused: { readonly template: string; readonly spot: boolean; readonly zone: string; readonly cause: 'stockout' | 'quota' };
  readonly zone_fallback: { readonly template: string; readonly spot: boolean; readonly zone: string };
  readonly job_started: { readonly template: string; readonly spot: boolean; readonly queueSeconds: number; readonly bootSeconds: number; readonly runnerName: string; readonly jobId: number };
  readonly job_completed: { readonly template: string; readonly conclusion: string; readonly durationSeconds: number; readonly runnerName: string; readonly jobId: number };
  readonly vm_deleted: { readonly template: string; readonly spot: boolean; readonly vmSeconds: number; readonly costUsd: number; readonly runnerName: string };
  readonly fleet_size: { readonly template: string; readonly vms: number; readonly maxRunners: number };
  readonly api_error: { readonly service: ApiService; readonly kind: string; readonly step: string };
  readonly rate_limited: { readonly service: ApiService; readonly waitSeconds: number; readonly step: string };
  readonly webhook_failed: Record<string, never>;
  readonly reaper_action: { readonly action: 'vm_removed' | 'runner_removed' | 'delivery_redelivered'; readonly reason: string };
}

export type MetricEvent = keyof MetricEvents;
export type SkipReason = 'not_queued' | 'job_gone' | 'access_denied' | 'owned_by_other';
export type ApiService = 'github' | 'compute' | 'workflows' | 'tasks' | 'other';

export interface MetricDefinition {
  /** Log-based metric `logging.googleapis.com/user/<name>`; Prometheus `ghr_<name>` (`_total` for counters). */
  readonly name: string;
  readonly event: MetricEvent;
  /** counter: one per log line; distribution: the value of `valueField` on each line. */
  readonly kind: 'counter' | 'distribution';
  readonly valueField?: string;
  /** UCUM unit, as Cloud Monitoring reads it; `{USD}` is an annotation (dimensionless), as UCUM has no currency. */
  readonly unit: '1' | 's' | '{USD}';
  readonly labels: readonly string[];
  /** Explicit bucket bounds of a distribution. */
  readonly buckets?: readonly number[];
  readonly help: string;
}

/** Seconds of waiting and booting: most answers fall between 10 s and 10 min. */
const waitBuckets = [1, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1200, 1800, 3600];
/** Jobs and VM lives run from a minute to the 6 h default maximum. */
const longBuckets = [30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 21600, 43200];
const costBuckets = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];

export const metricDefinitions: readonly MetricDefinition[] = [
  { name: 'jobs_queued', event: 'job_queued', kind: 'counter', unit: '1', labels: ['template'], help: 'queued jobs a template serves, accepted by the webhook' },
  { name: 'admission_wait_seconds', event: 'job_admitted', kind: 'distribution', valueField: 'waitSeconds', unit: 's', labels: ['template'], buckets: waitBuckets, help: 'from GitHub queueing the job to its execution starting (time spent over maxRunners or in the queue)' },
  { name: 'jobs_skipped', event: 'job_skipped', kind: 'counter', unit: '1', labels: ['template', 'reason'], help: 'executions that made no VM, by reason (not_queued, job_gone, access_denied, owned_by_other)' },
  { name: 'vms_created', event: 'vm_created', kind: 'counter', unit: '1', labels: ['template', 'spot'], help: 'runner VMs created' },
  { name: 'vm_create_seconds', event: 'vm_created', kind: 'distribution', valueField: 'createSeconds', unit: 's', labels: ['template', 'spot'], buckets: waitBuckets, help: 'time of the create-vm step, zone fallbacks included' },
  { name: 'zone_refusals', event: 'zone_refused', kind: 'counter', unit: '1', labels: ['template', 'zone', 'cause'], help: 'stockouts and quota refusals, by zone' },
  { name: 'zone_fallbacks', event: 'zone_fallback', kind: 'counter', unit: '1', labels: ['template', 'spot'], help: 'VMs created elsewhere than the first zone (or on-demand after spot) because of a refusal' },
  { name: 'jobs_started', event: 'job_started', kind: 'counter', unit: '1', labels: ['template', 'spot'], help: 'jobs a runner of ours took (workflow_job in_progress)' },
  { name: 'queue_time_seconds', event: 'job_started', kind: 'distribution', valueField: 'queueSeconds', unit: 's', labels: ['template'], buckets: waitBuckets, help: 'from GitHub queueing the job to a runner of ours taking it (GitHub created_at to started_at)' },
  { name: 'boot_to_online_seconds', event: 'job_started', kind: 'distribution', valueField: 'bootSeconds', unit: 's', labels: ['template', 'spot'], buckets: waitBuckets, help: 'from the VM being created to its runner taking the job' },
  { name: 'jobs_completed', event: 'job_completed', kind: 'counter', unit: '1', labels: ['template', 'conclusion'], help: 'jobs finished on a runner of ours, by conclusion' },
  { name: 'job_duration_seconds', event: 'job_completed', kind: 'distribution', valueField: 'durationSeconds', unit: 's', labels: ['template'], buckets: longBuckets, help: 'from the job starting to it completing (GitHub started_at to completed_at)' },
  { name: 'vm_seconds', event: 'vm_deleted', kind: 'distribution', valueField: 'vmSeconds', unit: 's', labels: ['template', 'spot'], buckets: longBuckets, help: 'life of each deleted runner VM, creation to deletion: the cost driver' },
  { name: 'vm_cost_usd', event: 'vm_deleted', kind: 'distribution', valueField: 'costUsd', unit: '{USD}', labels: ['template', 'spot'], buckets: costBuckets, help: 'estimated cost of each deleted VM from the dated price table (handlers/metrics/prices.ts)' },
  { name: 'live_vms', event: 'fleet_size', kind: 'distribution', valueField: 'vms', unit: '1', labels: ['template'], buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500], help: 'VMs of a template, counted by the reaper every run' },
  { name: 'max_runners', event: 'fleet_size', kind: 'distribution', valueField: 'maxRunners', unit: '1', labels: ['template'], buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500], help: 'the template cap (maxRunners) beside live_vms' },
  { name: 'api_errors', event: 'api_error', kind: 'counter', unit: '1', labels: ['service', 'kind'], help: 'failed calls to GitHub and Google APIs that failed a step, by service and error kind' },
  { name: 'rate_limit_waits', event: 'rate_limited', kind: 'counter', unit: '1', labels: ['service'], help: 'steps told to wait by a rate limit (GitHub Retry-After, x-ratelimit, Compute 429)' },
  { name: 'rate_limit_wait_seconds', event: 'rate_limited', kind: 'distribution', valueField: 'waitSeconds', unit: 's', labels: ['service'], buckets: waitBuckets, help: 'how long each rate-limited step was asked to wait' },
  { name: 'webhook_failures', event: 'webhook_failed', kind: 'counter', unit: '1', labels: [], help: 'deliveries the webhook could not queue (answered 503; the reaper redelivers them)' },
  { name: 'reaper_actions', event: 'reaper_action', kind: 'counter', unit: '1', labels: ['action', 'reason'], help: 'VMs and runners the reaper removed and deliveries it redelivered; reason past_maximum_age = a VM outlived its maximum' },
];

/** Prometheus name of a definition (counters end in `_total`, as the text format's convention has it). */
export function prometheusName(definition: MetricDefinition): string {
  return `ghr_${definition.name}${definition.kind === 'counter' ? '_total' : ''}`;
}
