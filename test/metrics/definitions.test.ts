import { readFileSync } from 'node:fs';
import test from 'ava';
import { metricDefinitions, prometheusName } from '../../handlers/metrics/definitions.ts';
import { MetricStore } from '../../handlers/metrics/metric-store.ts';
import { estimateCostUsd, hourlyUsd } from '../../handlers/metrics/prices.ts';
import { serviceOf, skipReasonOf } from '../../handlers/metrics/step-metrics.ts';

const template = { machineType: 'e2-standard-2', accelerators: [], diskSizeGb: 50, diskType: 'pd-balanced' };

test('metric names are unique, Prometheus-safe, and each distribution says which field holds its value', (t) => {
  t.is(new Set(metricDefinitions.map((definition) => definition.name)).size, metricDefinitions.length);
  for (const definition of metricDefinitions) {
    t.regex(prometheusName(definition), /^[a-z_][a-z0-9_]*$/);
    t.is(definition.kind === 'distribution', definition.valueField !== undefined, definition.name);
    t.is(definition.kind === 'distribution', (definition.buckets?.length ?? 0) > 0, definition.name);
  }
});

test('the README lists every metric with its meaning', (t) => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const definition of metricDefinitions) t.true(readme.includes(`| \`${definition.name}\` |`), definition.name);
});

test('an hour of e2-standard-2 with a 50 GB balanced disk is priced from the table: vCPUs, memory and disk', (t) => {
  // 2 × $0.021811 + 8 GB × $0.002923 + 50 GB × $0.10 / 730 h.
  t.is(hourlyUsd(template, false)!.toFixed(6), (0.043622 + 0.023384 + 5 / 730).toFixed(6));
  t.is(hourlyUsd({ ...template, machineType: 'n1-standard-8', accelerators: [{ type: 'nvidia-tesla-t4', count: 1 }] }, false)!.toFixed(6), (8 * 0.031611 + 30 * 0.004237 + 0.35 + 5 / 730).toFixed(6));
  t.true(hourlyUsd(template, true)! < hourlyUsd(template, false)!, 'spot costs less');
  t.is(hourlyUsd({ ...template, machineType: 'a3-megagpu-8g' }, false), null);
  t.is(estimateCostUsd({ ...template, machineType: 'a3-megagpu-8g' }, false, 3600), 0);
  t.is(estimateCostUsd(template, false, 1800), Math.round(hourlyUsd(template, false)! * 1e6 / 2) / 1e6);
});

test('the store counts lines per label set and fills cumulative histogram buckets', (t) => {
  const store = new MetricStore(() => 0);
  for (const queueSeconds of [3, 40, 4000]) store.add({ metric: 'job_started', template: 'linux', spot: false, queueSeconds, bootSeconds: 1, runnerName: 'r', jobId: 1 });
  store.add({ metric: 'job_started', template: 'gpu', spot: true, queueSeconds: 'not a number', bootSeconds: 2, runnerName: 'r', jobId: 2 });
  t.is(store.count('jobs_started'), 4);
  t.is(store.count('jobs_started', { template: 'linux' }), 3);
  t.is(store.count('queue_time_seconds'), 3, 'a value that is no number is not observed');
  t.is(store.total('queue_time_seconds'), 4043);
  const series = store.series().find((candidate) => candidate.definition.name === 'queue_time_seconds')!;
  const bounds = series.definition.buckets!;
  t.is(series.bucketCounts[bounds.indexOf(5)], 1);
  t.is(series.bucketCounts[bounds.indexOf(45)], 2);
  t.is(series.bucketCounts[bounds.length], 3, '+Inf holds all');
});

test('step failures are told apart by the service that failed; validate reasons become a few labels', (t) => {
  t.is(serviceOf('GitHub POST /orgs/o/actions/runners/generate-jitconfig answered 502: Bad Gateway'), 'github');
  t.is(serviceOf('insert ghr-linux-1-1 in us-central1-a: HTTP 503: backend error'), 'compute');
  t.is(serviceOf('list instances where labels.managed-by = github-runner: HTTP 429'), 'compute');
  t.is(serviceOf('template linux has 3 of 3 runners'), 'other');
  t.is(skipReasonOf('job 5 is completed, no longer queued'), 'not_queued');
  t.is(skipReasonOf('job 5 no longer exists'), 'job_gone');
  t.is(skipReasonOf('VM ghr-linux-5-1 belongs to another execution'), 'owned_by_other');
  t.is(skipReasonOf('owner evil is not served'), 'access_denied');
});
