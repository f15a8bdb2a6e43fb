import { metricDefinitions, type MetricDefinition } from './definitions.ts';

export interface Series {
  readonly definition: MetricDefinition;
  readonly labels: Readonly<Record<string, string>>;
  /** counter: lines counted; distribution: values observed. */
  count: number;
  /** distribution: sum of the values; counter: same as count. */
  sum: number;
  /** distribution: cumulative counts per `definition.buckets` bound, then +Inf. */
  readonly bucketCounts: number[];
}

export interface RecordedEvent {
  readonly at: number;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Recent events kept for timelines and charts: a few hours of a busy local run. */
const keptEvents = 5000;

/**
 * The local side of the metrics: fed every metric log line (through the logger's `onMetric`), it
 * keeps what Cloud Monitoring would, per metric and label set (counts, sums, histogram buckets),
 * plus the recent events themselves for the dashboard's timelines and charts.
 */
export class MetricStore {
  readonly #series = new Map<string, Series>();
  readonly #events: RecordedEvent[] = [];
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** One metric log line's object, e.g. `{metric: 'job_started', template: 'linux', queueSeconds: 12}`. */
  add(fields: Readonly<Record<string, unknown>>): void {
    const event = fields['metric'];
    if (typeof event !== 'string') return;
    this.#events.push({ at: this.#now(), fields });
    if (this.#events.length > keptEvents) this.#events.splice(0, this.#events.length - keptEvents);
    for (const definition of metricDefinitions) {
      if (definition.event !== event) continue;
      const value = definition.kind === 'counter' ? 1 : Number(fields[definition.valueField ?? '']);
      if (!Number.isFinite(value)) continue;
      const series = this.#seriesFor(definition, fields);
      series.count += 1;
      series.sum += value;
      const bounds = definition.buckets ?? [];
      for (let index = 0; index <= bounds.length; index += 1) if (index === bounds.length || value <= bounds[index]!) series.bucketCounts[index]! += 1;
    }
  }

  /** Every series, in definition order. */
  series(): Series[] {
    const order = new Map(metricDefinitions.map((definition, index) => [definition.name, index]));
    return [...this.#series.values()].sort((a, b) => order.get(a.definition.name)! - order.get(b.definition.name)!);
  }

  /** Total of a metric over the series whose labels include `where` (count for counters, sum for distributions). */
  total(name: string, where: Readonly<Record<string, string>> = {}): number {
    return this.#matching(name, where).reduce((sum, series) => sum + (series.definition.kind === 'counter' ? series.count : series.sum), 0);
  }

  count(name: string, where: Readonly<Record<string, string>> = {}): number {
    return this.#matching(name, where).reduce((sum, series) => sum + series.count, 0);
  }

  /** Recent events, oldest first. */
  events(): readonly RecordedEvent[] {
    return this.#events;
  }

  #matching(name: string, where: Readonly<Record<string, string>>): Series[] {
    return [...this.#series.values()].filter((series) => series.definition.name === name && Object.entries(where).every(([key, value]) => series.labels[key] === value));
  }

  #seriesFor(definition: MetricDefinition, fields: Readonly<Record<string, unknown>>): Series {
    const labels = Object.fromEntries(definition.labels.map((label) => [label, fields[label] === undefined ? '' : String(fields[label])]));
    const key = `${definition.name}${JSON.stringify(labels)}`;
    let series = this.#series.get(key);
    if (!series) {
      series = { definition, labels, count: 0, sum: 0, bucketCounts: new Array<number>((definition.buckets?.length ?? 0) + 1).fill(0) };
      this.#series.set(key, series);
    }
    return series;
  }
}
