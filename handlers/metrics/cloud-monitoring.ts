import { metricDefinitions, type MetricDefinition } from './definitions.ts';

/** Log-based metric names carry this prefix: `logging.googleapis.com/user/ghr_queue_time_seconds`. */
export const logMetricPrefix = 'ghr_';

/** The Cloud Logging filter of a metric: the lines our Cloud Run services write for its event. */
export function logFilterOf(definition: MetricDefinition): string {
  return `resource.type="cloud_run_revision" AND jsonPayload.metric="${definition.event}"`;
}

/** What terraform/monitoring.tf turns into `google_logging_metric` resources (terraform/monitoring-metrics.json). */
export function logMetricSpecs(): Record<string, unknown>[] {
  return metricDefinitions.map((definition) => ({
    name: `${logMetricPrefix}${definition.name}`,
    description: definition.help,
    filter: logFilterOf(definition),
    value_type: definition.kind === 'counter' ? 'INT64' : 'DISTRIBUTION',
    unit: definition.unit,
    value_extractor: definition.kind === 'counter' ? null : `EXTRACT(jsonPayload.${definition.valueField})`,
    bounds: definition.buckets ?? null,
    labels: Object.fromEntries(definition.labels.map((label) => [label, `EXTRACT(jsonPayload.${label})`])),
  }));
}

/** PromQL name of one of our log-based metrics (https://cloud.google.com/monitoring/promql/promql-mapping). */
export function promqlName(name: string, suffix: '' | '_bucket' | '_sum' | '_count' = ''): string {
  const definition = metricDefinitions.find((candidate) => candidate.name === name);
  if (!definition) throw new Error(`no metric named ${name}`);
  if (suffix !== '' && definition.kind !== 'distribution') throw new Error(`${name} is a counter: no ${suffix}`);
  // Log-based metrics can map to several resource types: name the one our lines come from.
  return `logging_googleapis_com:user_${logMetricPrefix}${name}${suffix}{monitored_resource="cloud_run_revision"}`;
}
