import { metricDefinitions, type MetricDefinition } from '../metrics/definitions.ts';
import type { MetricStore } from '../metrics/metric-store.ts';

export interface MetricSummary {
  readonly definition: MetricDefinition;
  /** Counter: lines counted; distribution: values observed. */
  readonly count: number;
  /** Distribution: the sum of the values (VM-seconds, dollars). */
  readonly sum: number;
  /** Distribution: percentiles of the recent values. */
  readonly p50: number | null;
  readonly p95: number | null;
  /** Per minute, oldest first: lines (counter) or the sum of values (distribution). */
  readonly perMinute: number[];
}

/** The charts cover the last half hour, a bar a minute. */
const minutes = 30;

/** Nearest-rank percentile of a sorted list. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** One summary per metric definition, from the store's totals and its recent events. */
export function metricSummaries(store: MetricStore, now: number): MetricSummary[] {
  const events = store.events();
  return metricDefinitions.map((definition) => {
    const values: number[] = [];
    const perMinute = new Array<number>(minutes).fill(0);
    for (const event of events) {
      if (event.fields['metric'] !== definition.event) continue;
      const value = definition.kind === 'counter' ? 1 : Number(event.fields[definition.valueField ?? '']);
      if (!Number.isFinite(value)) continue;
      values.push(value);
      const bucket = minutes - 1 - Math.floor((now - event.at) / 60_000);
      if (bucket >= 0 && bucket < minutes) perMinute[bucket]! += value;
    }
    values.sort((a, b) => a - b);
    const count = store.count(definition.name);
    return { definition, count, sum: definition.kind === 'counter' ? count : store.total(definition.name), p50: percentile(values, 0.5), p95: percentile(values, 0.95), perMinute };
  });
}
