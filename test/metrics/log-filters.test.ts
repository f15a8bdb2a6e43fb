import { readFileSync } from 'node:fs';
import test from 'ava';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { buildApp } from '../../handlers/app.ts';
import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';
import { emitMetric } from '../../handlers/metrics/emit-metric.ts';
import { webhookRoute } from '../../handlers/webhook/webhook-route.ts';
import { workflowJobPayload } from '../fixtures/workflow-job.ts';
import { deliver } from '../helpers/deliver.ts';
import { listen } from '../helpers/listen.ts';
import { eventually, executionEnd, startTestSystem } from '../helpers/system.ts';

interface LogMetricSpec {
  readonly name: string;
  readonly filter: string;
  readonly value_type: 'INT64' | 'DISTRIBUTION';
  readonly value_extractor: string | null;
  readonly labels: Record<string, string>;
}

const specs = JSON.parse(readFileSync(new URL('../../terraform/monitoring-metrics.json', import.meta.url), 'utf8')) as LogMetricSpec[];

/**
 * A log entry as Cloud Logging stores a JSON line a Cloud Run service wrote to stdout: the line's
 * fields under `jsonPayload`, the service under `resource` (https://cloud.google.com/run/docs/logging#container-logs).
 */
const entryOf = (line: Record<string, unknown>) => ({ resource: { type: 'cloud_run_revision' }, jsonPayload: line });

const at = (entry: unknown, path: string): unknown => path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], entry);

/** The filters we write: `path="value"` clauses joined by AND (https://cloud.google.com/logging/docs/view/logging-query-language). */
function matches(filter: string, entry: unknown): boolean {
  return filter.split(' AND ').every((clause) => {
    const match = /^([\w.]+)="([^"]*)"$/.exec(clause);
    if (!match) throw new Error(`clause outside what this check reads: ${clause}`);
    return String(at(entry, match[1]!)) === match[2];
  });
}

/** `EXTRACT(jsonPayload.field)` of an entry. */
const extract = (extractor: string, entry: unknown) => at(entry, /^EXTRACT\(([\w.]+)\)$/.exec(extractor)![1]!);

function checkLines(t: import('ava').ExecutionContext, lines: readonly Record<string, unknown>[]): Set<string> {
  const matched = new Set<string>();
  for (const line of lines.filter((candidate) => 'metric' in candidate)) {
    const entry = entryOf(line);
    const hits = specs.filter((spec) => matches(spec.filter, entry));
    t.true(hits.length > 0, `a log-based metric counts ${JSON.stringify(line)}`);
    for (const spec of hits) {
      matched.add(spec.name);
      if (spec.value_type === 'DISTRIBUTION') t.is(typeof extract(spec.value_extractor!, entry), 'number', `${spec.name} extracts a number from ${JSON.stringify(line)}`);
      for (const [label, extractor] of Object.entries(spec.labels)) t.true(['string', 'boolean'].includes(typeof extract(extractor, entry)), `${spec.name} label ${label} in ${JSON.stringify(line)}`);
    }
  }
  return matched;
}

test('the lines a real run writes are counted and measured by the log-based metrics: every field the filters and extractors read is there', async (t) => {
  const world = await startTestSystem({ templates: `
defaults:
  zones: [us-central1-a, us-central1-b]
  idleTimeout: 3s
  maxRunDuration: 1h
templates:
  - name: linux
    labels: [self-hosted, linux, x64]
    maxRunners: 5
` });
  try {
    world.compute.faults.inject({ call: 'insert', kind: 'stockout', zone: 'us-central1-a', times: 1 });
    world.github.fail({ method: 'POST', path: '/orgs/:org/actions/runners/generate-jitconfig', status: 429, headers: { 'retry-after': '1' }, times: 1 });
    const job = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    await eventually(() => world.github.job(job.id)?.status === 'in_progress', 20_000, 'job in progress');
    await world.github.completeJob(job.id, 'success');
    const [execution] = world.engine.listExecutions('runner');
    await executionEnd(world, execution!.name);
    world.engine.createExecution('reaper', '{}');
    await eventually(() => world.metrics.count('live_vms') > 0, 10_000, 'the reaper counted the fleet');
    const matched = checkLines(t, world.logger.lines());
    const expected = ['jobs_queued', 'admission_wait_seconds', 'vms_created', 'vm_create_seconds', 'zone_refusals', 'zone_fallbacks', 'jobs_started', 'queue_time_seconds', 'boot_to_online_seconds', 'jobs_completed', 'job_duration_seconds', 'vm_seconds', 'vm_cost_usd', 'live_vms', 'max_runners', 'api_errors', 'rate_limit_waits', 'rate_limit_wait_seconds'];
    for (const name of expected) t.true(matched.has(`ghr_${name}`), `the run wrote a line for ghr_${name}`);
  } finally {
    await world.system.close();
  }
});

test('a webhook that cannot queue writes the line webhook_failures counts, on the line it already writes', async (t) => {
  const logger = createMemoryLogger('info');
  const templates = parseTemplatesFile('templates:\n  - name: linux\n    labels: [self-hosted, linux, x64]\naccess:\n  owners: [octo-org]\n');
  const queue = { enqueue: async () => Promise.reject(new Error('Cloud Tasks is down')) };
  const server = await listen(buildApp({ log: logger.log, routers: [webhookRoute({ webhookSecret: 's3cret', templates, queue, log: logger.log })], isReady: () => true }));
  try {
    t.is((await deliver(server.url, 's3cret', workflowJobPayload())).status, 503);
  } finally {
    await server.close();
  }
  const matched = checkLines(t, logger.lines());
  t.deepEqual([...matched], ['ghr_webhook_failures']);
  t.is(logger.lines().filter((line) => 'metric' in line).length, 1, 'no line of its own: the error line carries the field');
});

test('the events a short run does not reach (skips, reaper removals) are read by their metrics too', (t) => {
  const logger = createMemoryLogger('info');
  emitMetric(logger.log, 'job_skipped', { template: 'linux', reason: 'not_queued', jobId: 1 });
  emitMetric(logger.log, 'reaper_action', { action: 'vm_removed', reason: 'past_maximum_age' });
  const matched = checkLines(t, logger.lines());
  t.deepEqual([...matched].sort(), ['ghr_jobs_skipped', 'ghr_reaper_actions']);
});
