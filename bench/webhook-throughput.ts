import { Worker } from 'node:worker_threads';
import type { LoadJob, LoadRequest, LoadResult } from './load-client.ts';
import { startFlaskPeer, startOctokitPeer } from './peers/start-peers.ts';
import { progress, type Scenario } from './scenario.ts';
import { fsyncLatency } from './fsync-latency.ts';
import { startNodeProcess, startServiceAgainstSimulators, type NodeProcess } from './service-process.ts';
import { fmtMb } from './stats.ts';
import { webhookReport, type Measured, type Server } from './webhook-report.ts';
import { queuedExample, servedPayload, signedDelivery } from './webhook-payload.ts';

const name = 'webhook-throughput';
const concurrency = 32;
const warmupMs = 500;
const durationMs = 3000;
const rounds = 2;
const offeredPerSecond = 500;
/** Open-loop runs are longer: their p99 rests on 1 % of the answers. */
const rateDurationMs = 5000;
/** Distinct jobs for the path that really enqueues (each its own task): sent once each, to every server. */
const distinctJobs = 4000;
/** The bench template's labels (bench/system.ts), given to the peers so that they decide alike. */
const servedLabels = ['self-hosted', 'linux', 'x64'];

/** A load generator in a worker thread, reused for every run; CPU is read of the process that serves the job's URL. */
function startClient() {
  const worker = new Worker(new URL('./load-client.ts', import.meta.url));
  worker.unref();
  return {
    run: async (job: LoadJob, server: NodeProcess): Promise<Measured> => {
      const cpuBefore = server.processCpuMs();
      const result = await new Promise<LoadResult>((resolve, reject) => {
        worker.once('message', (message: { ok: true; result: LoadResult } | { ok: false; error: string }) =>
          message.ok ? resolve(message.result) : reject(new Error(message.error)),
        );
        worker.postMessage(job);
      });
      const cpuAfter = server.processCpuMs();
      const cpuMicros = cpuBefore === null || cpuAfter === null || result.total === 0 ? null : ((cpuAfter - cpuBefore) * 1000) / result.total;
      return { ...result, cpuMicros };
    },
    close: () => worker.terminate(),
  };
}

async function startServers(secret: string, appUrl: string, app: NodeProcess): Promise<{ servers: Server[]; skipped: string[] }> {
  const octokit = await startOctokitPeer(secret, servedLabels);
  const flask = await startFlaskPeer(secret, servedLabels);
  const bare = await startNodeProcess(new URL('./bare-hmac-main.ts', import.meta.url), { BENCH_SECRET: secret });
  const servers: Server[] = [
    { key: 'app', title: 'app', process: app, url: appUrl },
    { key: 'octokit', title: '@octokit/webhooks', process: octokit, url: octokit.url },
    ...('skipped' in flask ? [] : [{ key: 'flask', title: 'Flask + gunicorn (1×8)', process: flask, url: flask.url }]),
    { key: 'bare', title: 'bare HMAC floor', process: bare, url: bare.url },
  ];
  return { servers, skipped: 'skipped' in flask ? [flask.skipped] : [] };
}

/**
 * Signed `workflow_job` deliveries through `POST /webhook` of the service (as `npm start` runs it
 * against a GitHub App, in its own process) beside its peers, each in a process of its own and fed
 * by the same client: the standard Node stack (@octokit/webhooks), the original project's shape
 * (Flask under gunicorn, when installed) and a bare HMAC server (the floor). Timed runs alternate
 * between the servers, in a rotated order each round.
 */
export const run: Scenario = async () => {
  const { github, service, close } = await startServiceAgainstSimulators({ maxRunners: 2000, connectRunners: false });
  const secret = github.webhookSecret;
  const { servers, skipped } = await startServers(secret, `${service.url}/webhook`, service);
  const client = startClient();
  const measured: Record<string, Record<string, Measured[]>> = {};
  const record = (server: Server, path: string, result: Measured) => {
    ((measured[server.key] ??= {})[path] ??= []).push(result);
    progress(name, `${server.title}, ${path}: ${result.perSecond.toFixed(0)}/s, p50 ${result.latencyP50Ms.toFixed(2)} ms, p99 ${result.latencyP99Ms.toFixed(2)} ms, CPU ${result.cpuMicros?.toFixed(0) ?? 'n/a'} µs/request, ${JSON.stringify(result.statuses)}${result.errors ? ` errors ${result.errors}` : ''}`);
  };
  const go = async (server: Server, path: string, requests: LoadRequest[], mode: LoadJob['mode']) =>
    record(server, path, await client.run({ url: server.url, requests, concurrency, mode }, server.process));
  try {
    const bodies: Record<string, LoadRequest[]> = {
      ignored: [signedDelivery(secret, queuedExample())],
      duplicate: [signedDelivery(secret, servedPayload(90_000_000_001))],
    };
    const distinct = Array.from({ length: distinctJobs }, (_, index) => signedDelivery(secret, servedPayload(91_000_000_001 + index)));
    const atRate = Array.from({ length: (offeredPerSecond * (warmupMs + rateDurationMs)) / 1000 }, (_, index) => signedDelivery(secret, servedPayload(92_000_000_001 + index)));
    progress(name, `payload ${bodies['ignored']![0]!.body.byteLength} bytes, ${concurrency} in flight; ${skipped.join('; ') || 'all peers present'}`);
    // One unrecorded run each first: the JIT, and each process's start-up garbage, are not per request.
    for (const server of servers) await client.run({ url: server.url, requests: bodies['ignored']!, concurrency, mode: { kind: 'duration', warmupMs: 0, durationMs: 1500 } }, server.process);
    for (let round = 0; round < rounds; round += 1) {
      const order = [...servers.slice(round % servers.length), ...servers.slice(0, round % servers.length)];
      for (const path of ['ignored', 'duplicate']) {
        for (const server of order) if (server.key !== 'bare' || path === 'ignored') await go(server, path, bodies[path]!, { kind: 'duration', warmupMs, durationMs });
      }
    }
    for (const server of servers) await go(server, `ignored at ${offeredPerSecond}/s`, bodies['ignored']!, { kind: 'rate', perSecond: offeredPerSecond, warmupMs, durationMs: rateDurationMs });
    // The app's enqueued runs last: each 202 is a task that its dispatcher then works through at 20/s in the same
    // process. The open-loop offer first, while that backlog is still small; then the 4,000 as fast as they are answered.
    for (const server of servers.slice(1)) await go(server, 'enqueued', distinct, { kind: 'count' });
    await go(servers[0]!, `enqueued at ${offeredPerSecond}/s`, atRate, { kind: 'rate', perSecond: offeredPerSecond, warmupMs, durationMs: rateDurationMs });
    await go(servers[0]!, 'enqueued', distinct, { kind: 'count' });
    const memory = Object.fromEntries(servers.map((server) => [server.key, server.process.memory().peak]));
    progress(name, `peak RSS: ${servers.map((server) => `${server.title} ${fmtMb(memory[server.key]!)}`).join(', ')}`);
    const fsync = fsyncLatency();
    progress(name, `fdatasync of a journal line: p50 ${fsync.p50Ms.toFixed(2)} ms, p99 ${fsync.p99Ms.toFixed(2)} ms`);
    return webhookReport({ servers, measured, memory, skipped, offeredPerSecond, distinctJobs, concurrency, payloadBytes: bodies['ignored']![0]!.body.byteLength, fsync });
  } finally {
    await client.close();
    for (const server of servers.slice(1)) await server.process.stop();
    await close();
  }
};
