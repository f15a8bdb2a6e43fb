/** Small statistics and formatting helpers shared by the scenarios. */

/** Nearest-rank percentile of `values` (need not be sorted); NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export interface Summary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    count: values.length,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.length === 0 ? Number.NaN : Math.max(...values),
    mean: mean(values),
  };
}

export const mb = (bytes: number): number => bytes / (1024 * 1024);
export const fmtMb = (bytes: number): string => `${mb(bytes).toFixed(1)} MB`;
export const fmtMs = (ms: number): string => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;

/** Samples the whole process's RSS every `everyMs` until stopped; `maxRss` is the kernel's own peak. */
export function sampleRss(everyMs = 50): { stop(): { peakSampled: number; maxRss: number; samples: number } } {
  let peak = process.memoryUsage.rss();
  let samples = 1;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    samples += 1;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      // resourceUsage().maxRSS is in kilobytes: the high-water mark of this whole process.
      return { peakSampled: peak, maxRss: process.resourceUsage().maxRSS * 1024, samples: samples + 1 };
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it returns something other than undefined/false. */
export async function until<T>(check: () => T | undefined | false, timeoutMs: number, what: string, everyMs = 2): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
