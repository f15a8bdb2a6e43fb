import { Agent, request } from 'node:http';
import { parentPort } from 'node:worker_threads';

/**
 * The HTTP load generator, run in a worker thread so that it has its own event loop (and core)
 * and does not share the server's: keep-alive connections, a fixed number of requests in flight.
 */
export interface LoadRequest {
  readonly body: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
}

export interface LoadJob {
  readonly url: string;
  readonly requests: readonly LoadRequest[];
  readonly concurrency: number;
  /**
   * `duration`: cycle through `requests` for warmupMs (not counted) then durationMs, `concurrency` in
   * flight; `count`: send each request once; `rate`: open loop, one request every 1/perSecond s
   * whatever the answers (at most `concurrency` connections), latency counted from when each was due.
   */
  readonly mode:
    | { readonly kind: 'duration'; readonly warmupMs: number; readonly durationMs: number }
    | { readonly kind: 'count' }
    | { readonly kind: 'rate'; readonly perSecond: number; readonly warmupMs: number; readonly durationMs: number };
}

export interface LoadResult {
  /** Answers inside the measured window. */
  readonly completed: number;
  /** Every answer, warm-up included. */
  readonly total: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

function send(agent: Agent, url: URL, item: LoadRequest, deliveryId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...item.headers, 'x-github-delivery': deliveryId, 'content-length': String(item.body.byteLength) } },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(item.body);
  });
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  if (job.mode.kind === 'rate') return runAtRate(job, job.mode);
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const url = new URL(job.url);
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const begin = performance.now();
  const warmupMs = job.mode.kind === 'duration' ? job.mode.warmupMs : 0;
  const countFrom = begin + warmupMs;
  const stopAt = job.mode.kind === 'duration' ? countFrom + job.mode.durationMs : Number.POSITIVE_INFINITY;
  let completed = 0;
  let total = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (job.mode.kind === 'count' && next >= job.requests.length) return;
      if (performance.now() >= stopAt) return;
      const index = next++;
      const item = job.requests[index % job.requests.length]!;
      const started = performance.now();
      let status: number;
      try {
        status = await send(agent, url, item, `bench-${index}`);
      } catch {
        errors += 1;
        continue;
      }
      const ended = performance.now();
      total += 1;
      if (ended >= countFrom && ended <= stopAt) {
        completed += 1;
        statuses[status] = (statuses[status] ?? 0) + 1;
        latencies.push(ended - started);
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, () => worker()));
  const elapsedMs = (job.mode.kind === 'duration' ? stopAt : performance.now()) - countFrom;
  agent.destroy();
  return summary({ completed, total, elapsedMs, statuses, errors }, latencies);
}

function summary(counts: Omit<LoadResult, 'perSecond' | 'latencyP50Ms' | 'latencyP99Ms'>, latencies: number[]): LoadResult {
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(p * latencies.length) - 1))] ?? Number.NaN;
  return { ...counts, perSecond: (counts.completed / counts.elapsedMs) * 1000, latencyP50Ms: at(0.5), latencyP99Ms: at(0.99) };
}

/** Open loop: request i is due at begin + i/perSecond and sent then (a timer per ms tick), so a slow answer does not slow the offer. */
async function runAtRate(job: LoadJob, mode: { perSecond: number; warmupMs: number; durationMs: number }): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const url = new URL(job.url);
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const counts = { completed: 0, total: 0, errors: 0 };
  const begin = performance.now();
  const countFrom = begin + mode.warmupMs;
  const due = Math.floor(((mode.warmupMs + mode.durationMs) * mode.perSecond) / 1000);
  const pending: Promise<void>[] = [];
  const one = async (index: number, dueAt: number): Promise<void> => {
    try {
      const status = await send(agent, url, job.requests[index % job.requests.length]!, `bench-rate-${index}`);
      counts.total += 1;
      if (dueAt < countFrom) return;
      counts.completed += 1;
      statuses[status] = (statuses[status] ?? 0) + 1;
      latencies.push(performance.now() - dueAt);
    } catch {
      counts.errors += 1;
    }
  };
  for (let index = 0; index < due; ) {
    const now = performance.now();
    for (; index < due && begin + (index * 1000) / mode.perSecond <= now; index += 1) pending.push(one(index, begin + (index * 1000) / mode.perSecond));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  agent.destroy();
  return summary({ ...counts, statuses, elapsedMs: mode.durationMs }, latencies);
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (job: LoadJob) => {
    runLoad(job).then(
      (result) => port.postMessage({ ok: true, result }),
      (error: unknown) => port.postMessage({ ok: false, error: String(error) }),
    );
  });
}
