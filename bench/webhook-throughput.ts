import { Worker } from 'node:worker_threads';
import type { LoadJob, LoadRequest, LoadResult } from './load-client.ts';
import { progress, type ResultRow, type Scenario } from './scenario.ts';
import { startNodeProcess, startServiceAgainstSimulators, type NodeProcess } from './service-process.ts';
import { queuedExample, servedPayload, signedDelivery } from './webhook-payload.ts';

const name = 'webhook-throughput';
const concurrency = 32;
const warmupMs = 500;
const durationMs = 3000;
/** Distinct jobs for the variant that really enqueues (each its own task): sent once each. */
const distinctJobs = 4000;

interface Measured extends LoadResult {
  /** Main-thread CPU per answered request, in µs (warm-up included on both sides); null without /proc. */
  readonly cpuMicros: number | null;
}

/** A load generator in a worker thread, reused for every run; CPU is read of the process that serves the job's URL. */
function startClient() {
  const worker = new Worker(new URL('./load-client.ts', import.meta.url));
  worker.unref();
  return {
    run: async (job: LoadJob, server: NodeProcess): Promise<Measured> => {
      const cpuBefore = server.mainThreadCpuMs();
      const result = await new Promise<LoadResult>((resolve, reject) => {
        worker.once('message', (message: { ok: true; result: LoadResult } | { ok: false; error: string }) =>
          message.ok ? resolve(message.result) : reject(new Error(message.error)),
        );
        worker.postMessage(job);
      });
      const cpuAfter = server.mainThreadCpuMs();
      const cpuMicros = cpuBefore === null || cpuAfter === null || result.total === 0 ? null : ((cpuAfter - cpuBefore) * 1000) / result.total;
      return { ...result, cpuMicros };
    },
    close: () => worker.terminate(),
  };
}

const statusText = (result: LoadResult): string =>
  Object.entries(result.statuses)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ') + (result.errors > 0 ? ` errors×${result.errors}` : '');

/**
 * Signed `workflow_job` deliveries per second through `POST /webhook` of the service (as `npm start`
 * runs it against a GitHub App, in its own process), against a bare node:http server in a process of
 * its own that only checks the same HMAC of the same bodies, with the same client.
 */
export const run: Scenario = async () => {
  const { github, service, close } = await startServiceAgainstSimulators({ maxRunners: 2000, connectRunners: false });
  const secret = github.webhookSecret;
  const bare = await startNodeProcess(new URL('./bare-hmac-main.ts', import.meta.url), { BENCH_SECRET: secret });
  const client = startClient();
  const appUrl = `${service.url}/webhook`;
  const timed = (url: string, requests: LoadRequest[]): LoadJob => ({ url, requests, concurrency, mode: { kind: 'duration', warmupMs, durationMs } });
  const counted = (url: string, requests: LoadRequest[]): LoadJob => ({ url, requests, concurrency, mode: { kind: 'count' } });
  const cpu = (result: Measured) => (result.cpuMicros === null ? 'n/a' : `${result.cpuMicros.toFixed(0)} µs`);
  const log = (label: string, result: Measured) =>
    progress(
      name,
      `${label}: ${result.perSecond.toFixed(0)}/s (${result.completed} in ${(result.elapsedMs / 1000).toFixed(2)} s, p50 ${result.latencyP50Ms.toFixed(2)} ms, p99 ${result.latencyP99Ms.toFixed(2)} ms, ` +
        `server CPU ${cpu(result)}/request; ${statusText(result)})`,
    );
  try {
    const ignored = [signedDelivery(secret, queuedExample())];
    const duplicate = [signedDelivery(secret, servedPayload(90_000_000_001))];
    const distinct = Array.from({ length: distinctJobs }, (_, index) => signedDelivery(secret, servedPayload(91_000_000_001 + index)));
    progress(name, `payload ${ignored[0]!.body.byteLength} bytes, ${concurrency} in flight, ${durationMs / 1000} s per run after ${warmupMs} ms warm-up`);

    const bare1 = await client.run(timed(bare.url, ignored), bare);
    log('bare HMAC server', bare1);
    const appIgnored = await client.run(timed(appUrl, ignored), service);
    log('app, ignored (labels no template serves)', appIgnored);
    const appDuplicate = await client.run(timed(appUrl, duplicate), service);
    log('app, enqueue → duplicate task name', appDuplicate);
    const bare2 = await client.run(timed(bare.url, ignored), bare);
    log('bare HMAC server again', bare2);
    const bareDistinct = await client.run(counted(bare.url, distinct), bare);
    log(`bare HMAC server, ${distinctJobs} distinct bodies`, bareDistinct);
    const appDistinct = await client.run(counted(appUrl, distinct), service);
    log(`app, ${distinctJobs} distinct queued jobs, each enqueued`, appDistinct);

    const bareRate = (bare1.perSecond + bare2.perSecond) / 2;
    const row = (metric: string, app: Measured, floor: number, expect: string): ResultRow => {
      const ratio = app.perSecond / floor;
      const ok = app.errors === 0 && Object.keys(app.statuses).every((status) => expect.split(',').includes(status));
      return {
        metric,
        value: `${ratio.toFixed(2)} (${app.perSecond.toFixed(0)}/s vs ${floor.toFixed(0)}/s)${ok ? '' : ` unexpected answers: ${statusText(app)}`}`,
        target: '≥ 0.50',
        pass: ok && ratio >= 0.5,
      };
    };
    return {
      rows: [
        row('webhooks/s ratio, ignored (no template for labels)', appIgnored, bareRate, '200'),
        row('webhooks/s ratio, enqueue → duplicate (dedupe)', appDuplicate, bareRate, '200,202'),
        row(`webhooks/s ratio, enqueued (${distinctJobs} new jobs)`, appDistinct, bareDistinct.perSecond, '202'),
      ],
      notes: [
        `webhook: ${ignored[0]!.body.byteLength}-byte workflow_job.queued example of @octokit/webhooks-examples, node:http keep-alive client in a worker thread, ${concurrency} in flight; ` +
          `timed runs ${durationMs / 1000} s after ${warmupMs} ms warm-up, bare server measured before and after the app (mean ${bareRate.toFixed(0)}/s: ${bare1.perSecond.toFixed(0)}, ${bare2.perSecond.toFixed(0)}).`,
        `webhook: "ignored" = labels [self-hosted, k8s] that no template serves (200, no task); "duplicate" = served labels, one job id, so the first is enqueued and the rest are refused by the queue's task name (200); ` +
          `"enqueued" = ${distinctJobs} distinct served jobs sent once each (202, each a task in the 20/s create queue), against the bare server on the same ${distinctJobs} bodies.`,
        `webhook: main-thread CPU per request (steadier than throughput on a shared machine): bare ${cpu(bare1)} / ${cpu(bare2)}, app ignored ${cpu(appIgnored)}, duplicate ${cpu(appDuplicate)}, ` +
          `enqueued ${cpu(appDistinct)} (bare on those bodies ${cpu(bareDistinct)}); CPU ratio bare/app (ignored) ${bare1.cpuMicros && appIgnored.cpuMicros ? (((bare1.cpuMicros + (bare2.cpuMicros ?? bare1.cpuMicros)) / 2) / appIgnored.cpuMicros).toFixed(2) : 'n/a'}.`,
        `webhook: app latency p50/p99 ignored ${appIgnored.latencyP50Ms.toFixed(2)}/${appIgnored.latencyP99Ms.toFixed(2)} ms, bare ${bare1.latencyP50Ms.toFixed(2)}/${bare1.latencyP99Ms.toFixed(2)} ms at ${concurrency} in flight.`,
      ],
    };
  } finally {
    await client.close();
    await bare.stop();
    await close();
  }
};
