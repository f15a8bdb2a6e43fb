import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import test from 'ava';
import { metricDefinitions } from '../../handlers/metrics/definitions.ts';
import { monitoringFiles } from '../../handlers/metrics/monitoring-files.ts';
import { block, loadTerraform, repoDir, resources, type TfResource } from './support/terraform.ts';

interface LogMetricSpec {
  readonly name: string;
  readonly filter: string;
  readonly value_type: 'INT64' | 'DISTRIBUTION';
  readonly value_extractor: string | null;
  readonly bounds: number[] | null;
  readonly labels: Record<string, string>;
}

const read = (path: string) => readFileSync(resolve(repoDir, path), 'utf8');
const specs = JSON.parse(read('terraform/monitoring-metrics.json')) as LogMetricSpec[];
const byName = new Map(specs.map((spec) => [spec.name, spec]));
const monitoring = async (type: string): Promise<TfResource[]> => resources(await loadTerraform()).filter((resource) => resource.type === type && resource.file === 'terraform/monitoring.tf');

test('the generated metric list, dashboard and layout picture are what handlers/metrics makes (npx tsx scripts/write-monitoring.ts)', (t) => {
  for (const [path, content] of Object.entries(monitoringFiles())) t.is(read(path), content, `${path} is stale: run npx tsx scripts/write-monitoring.ts`);
});

test('one log-based metric per definition: counters count lines, distributions extract a number into explicit buckets', async (t) => {
  t.deepEqual(specs.map((spec) => spec.name), metricDefinitions.map((definition) => `ghr_${definition.name}`));
  for (const spec of specs) {
    t.regex(spec.filter, /^resource\.type="cloud_run_revision" AND jsonPayload\.metric="[a-z_]+"$/);
    if (spec.value_type === 'DISTRIBUTION') {
      t.regex(spec.value_extractor ?? '', /^EXTRACT\(jsonPayload\.[A-Za-z]+\)$/, spec.name);
      t.true(spec.bounds!.every((bound, index) => index === 0 || bound > spec.bounds![index - 1]!), `${spec.name} bounds increase`);
    } else t.is(spec.value_extractor, null);
    for (const [label, extractor] of Object.entries(spec.labels)) t.is(extractor, `EXTRACT(jsonPayload.${label})`);
  }
  const [metric] = await monitoring('google_logging_metric');
  t.is(metric?.body['for_each'], '${local.log_metrics}');
  const descriptor = block(metric!.body, 'metric_descriptor')!;
  t.is(descriptor['metric_kind'], 'DELTA');
  t.is(descriptor['value_type'], '${each.value.value_type}');
  t.is(metric!.body['value_extractor'], '${each.value.value_extractor}');
  t.is(metric!.body['label_extractors'], '${each.value.labels}');
});

/** `logging_googleapis_com:user_ghr_x_bucket{…}` → [ghr_x, _bucket]. */
function promqlMetrics(query: string): [string, string][] {
  const names = [...specs.map((spec) => spec.name)].sort((a, b) => b.length - a.length);
  return [...query.matchAll(/logging_googleapis_com:user_([a-z_]+)\{/g)].map((match) => {
    const full = match[1]!;
    const name = names.find((candidate) => full === candidate || (full.startsWith(candidate) && /^_(bucket|sum|count)$/.test(full.slice(candidate.length))));
    return [name ?? full, name ? full.slice(name.length) : ''];
  });
}

test('every dashboard query names a metric that exists, histogram suffixes only on distributions, and groups by its labels', (t) => {
  const dashboard = JSON.parse(read('terraform/monitoring-dashboard.json')) as { mosaicLayout: { columns: number; tiles: { xPos: number; width: number; widget: { xyChart: { dataSets: { timeSeriesQuery: { prometheusQuery?: string } }[] } } }[] } };
  const tiles = dashboard.mosaicLayout.tiles;
  t.true(tiles.length >= 10);
  for (const tile of tiles) t.true(tile.xPos + tile.width <= dashboard.mosaicLayout.columns);
  const queries = tiles.flatMap((tile) => tile.widget.xyChart.dataSets.map((set) => set.timeSeriesQuery.prometheusQuery)).filter((query) => query !== undefined);
  const used = new Set<string>();
  for (const query of queries) {
    for (const [name, suffix] of promqlMetrics(query)) {
      const spec = byName.get(name);
      t.truthy(spec, `${name} in ${query}`);
      used.add(name);
      t.is(suffix !== '', spec?.value_type === 'DISTRIBUTION', `${name}${suffix}`);
      for (const by of query.matchAll(/by \(([^)]*)\)/g)) for (const label of by[1]!.split(/,\s*/)) t.true(label === 'le' || label in (spec?.labels ?? {}), `${label} of ${name}`);
    }
  }
  for (const name of ['ghr_queue_time_seconds', 'ghr_live_vms', 'ghr_max_runners', 'ghr_vm_cost_usd', 'ghr_api_errors', 'ghr_rate_limit_waits']) t.true(used.has(name), `the dashboard charts ${name}`);
});

test('each alert notifies the channels variable and watches a metric that exists, by labels it has', async (t) => {
  const [policy] = await monitoring('google_monitoring_alert_policy');
  t.is(policy?.body['notification_channels'], '${var.monitoring_notification_channels}');
  const source = read('terraform/monitoring.tf');
  const alerts = [...source.matchAll(/^ {4}(\w+) = \{\n\s+display_name\s+= "([^"]+)"\n\s+filter\s+= "(.*)"$/gm)];
  t.deepEqual(alerts.map((alert) => alert[1]), ['executions_failing', 'queue_time_p95', 'vms_past_maximum_age', 'github_rate_limited', 'webhook_failing']);
  for (const [, key, , escaped] of alerts) {
    const filter = escaped!.replace(/\\"/g, '"');
    const user = /metric\.type="\$\{local\.user_metric\}\/(\w+)"/.exec(filter);
    if (!user) {
      t.regex(filter, /metric\.type="workflows\.googleapis\.com\/finished_execution_count"/, key);
      continue;
    }
    const spec = byName.get(user[1]!);
    t.truthy(spec, `${key} watches ${user[1]}`);
    for (const label of filter.matchAll(/metric\.label\.(\w+)=/g)) t.true(label[1]! in (spec?.labels ?? {}), `${key}: ${label[1]} is a label of ${user[1]}`);
  }
  t.regex(source, /group_by\s+= \["metric\.label\.template"\]/, 'queue time p95 per template');
});
