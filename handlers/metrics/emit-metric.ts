import type { Log } from '../log/logger.ts';
import type { MetricEvent, MetricEvents } from './definitions.ts';

/** The message of every metric line; Cloud Logging filters select them by `jsonPayload.metric`. */
export const metricMessage = 'metric';

/**
 * Writes one metric event as a JSON log line at INFO: `{"metric":"job_started","template":…}`.
 * Cloud Logging's log-based metrics count and measure these lines; locally the logger hands the same
 * object to the `MetricStore` (see `createLogger`'s `onMetric`). A LOG_LEVEL above info drops them.
 */
export function emitMetric<E extends MetricEvent>(log: Log, event: E, fields: MetricEvents[E]): void {
  const line: Record<string, unknown> = { metric: event, ...fields };
  log.info(line, metricMessage);
}

/** Fields of a metric event to add to a log line already being written (the webhook's decision line). */
export function metricFields<E extends MetricEvent>(event: E, fields: MetricEvents[E]): { readonly metric: E } & MetricEvents[E] {
  return { metric: event, ...fields };
}

/** Seconds between two instants, to the millisecond; null when either is unknown or unreadable. */
export function secondsBetween(from: string | number | null | undefined, to: string | number | null | undefined): number | null {
  const start = typeof from === 'string' ? Date.parse(from) : from;
  const end = typeof to === 'string' ? Date.parse(to) : to;
  if (start === null || start === undefined || end === null || end === undefined || Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.max(0, Math.round(end - start)) / 1000;
}
