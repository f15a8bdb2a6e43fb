import type { LoadResult } from './load-client.ts';
import type { ResultRow } from './scenario.ts';
import type { NodeProcess } from './service-process.ts';
import { fmtMb, mb, mean } from './stats.ts';

export interface Measured extends LoadResult {
  /** CPU of the serving process (all its threads) per answered request, in µs, warm-up included; null without /proc. */
  readonly cpuMicros: number | null;
}

export interface Server {
  readonly key: string;
  readonly title: string;
  readonly process: NodeProcess;
  readonly url: string;
}

interface ReportInput {
  readonly servers: readonly Server[];
  /** server key → path → one result per round. */
  readonly measured: Readonly<Record<string, Readonly<Record<string, readonly Measured[]>>>>;
  /** server key → peak RSS in bytes. */
  readonly memory: Readonly<Record<string, number>>;
  readonly skipped: readonly string[];
  readonly offeredPerSecond: number;
  readonly distinctJobs: number;
  readonly concurrency: number;
  readonly payloadBytes: number;
  /** The disk's fdatasync latency: the floor of a durable 202. */
  readonly fsync: { readonly p50Ms: number; readonly p99Ms: number };
}

const statusesOf = (results: readonly Measured[]): Record<string, number> => {
  const all: Record<string, number> = {};
  for (const result of results) for (const [status, count] of Object.entries(result.statuses)) all[status] = (all[status] ?? 0) + count;
  return all;
};

/** The table rows and notes of the webhook scenario: the app against @octokit/webhooks, Flask and the bare floor. */
export function webhookReport(input: ReportInput): { rows: ResultRow[]; notes: string[] } {
  const runs = (key: string, path: string): readonly Measured[] => input.measured[key]?.[path] ?? [];
  const rate = (key: string, path: string) => mean(runs(key, path).map((result) => result.perSecond));
  const cpu = (key: string, path: string) => mean(runs(key, path).flatMap((result) => (result.cpuMicros === null ? [] : [result.cpuMicros])));
  const answeredAsExpected = (path: string, expected: readonly string[]) =>
    runs('app', path).every((result) => result.errors === 0) && Object.keys(statusesOf(runs('app', path))).every((status) => expected.includes(status));
  const ratioRow = (path: string, peer: string, target: number | null, expected: readonly string[]): ResultRow => {
    const ratio = rate('app', path) / rate(peer, path);
    const ok = answeredAsExpected(path, expected);
    return {
      metric: `webhooks/s app ÷ ${peer}, ${path}`,
      value: `${ratio.toFixed(2)} (${rate('app', path).toFixed(0)}/s vs ${rate(peer, path).toFixed(0)}/s)${ok ? '' : ` unexpected answers ${JSON.stringify(statusesOf(runs('app', path)))}`}`,
      target: target === null ? '' : `≥ ${target.toFixed(2)}`,
      pass: target === null ? null : ok && ratio >= target,
    };
  };
  const latencyRow = (path: string): ResultRow => {
    const [result] = runs('app', path);
    const p99 = result?.latencyP99Ms ?? Number.NaN;
    return { metric: `app p50 / p99, ${path}`, value: `${result?.latencyP50Ms.toFixed(2)} / ${p99.toFixed(2)} ms`, target: 'p99 < 5 ms', pass: p99 < 5 && (result?.errors ?? 1) === 0 };
  };
  const has = (key: string) => input.servers.some((server) => server.key === key);
  const rated = `ignored at ${input.offeredPerSecond}/s`;
  const rows: ResultRow[] = [
    ratioRow('ignored', 'octokit', 1, ['200']),
    ratioRow('duplicate', 'octokit', 1, ['200', '202']),
    ratioRow('enqueued', 'octokit', 0.6, ['202']),
    latencyRow(rated),
    latencyRow(`enqueued at ${input.offeredPerSecond}/s`),
    { metric: 'app peak RSS under webhook load', value: fmtMb(input.memory['app'] ?? Number.NaN), target: '≤ 300 MB', pass: mb(input.memory['app'] ?? Number.POSITIVE_INFINITY) <= 300 },
    ...(has('flask') ? [ratioRow('ignored', 'flask', null, ['200']), ratioRow('enqueued', 'flask', null, ['202'])] : []),
    ratioRow('ignored', 'bare', null, ['200']),
    { metric: 'disk: fdatasync of a journal line, p50 / p99 (floor of a durable 202)', value: `${input.fsync.p50Ms.toFixed(2)} / ${input.fsync.p99Ms.toFixed(2)} ms`, target: '', pass: null },
  ];
  const line = (server: Server) => {
    const paths = Object.keys(input.measured[server.key] ?? {});
    const perPath = paths.map((path) => {
      const result = runs(server.key, path)[0]!;
      const latency = path.includes('/s') ? `p50 ${result.latencyP50Ms.toFixed(2)} p99 ${result.latencyP99Ms.toFixed(2)} ms` : `${rate(server.key, path).toFixed(0)}/s`;
      return `${path} ${latency}, ${cpu(server.key, path).toFixed(0)} µs CPU`;
    });
    return `webhook: ${server.title} (peak RSS ${fmtMb(input.memory[server.key] ?? Number.NaN)}): ${perPath.join('; ')}.`;
  };
  return {
    rows,
    notes: [
      `webhook: ${input.payloadBytes}-byte workflow_job.queued example of @octokit/webhooks-examples, node:http keep-alive client in a worker thread, ${input.concurrency} in flight; every server in its own process; ` +
        `one unrecorded 1.5 s warm-up run each, then timed runs alternate between the servers in a rotated order each round (req/s is the mean of the rounds); CPU is the serving process's, all threads, per request, from /proc.`,
      `webhook: "ignored" = labels [self-hosted, k8s] that no template serves; "duplicate" = served labels, one job id (the app refuses all but the first by task name); ` +
        `"enqueued" = ${input.distinctJobs} distinct served jobs sent once each (the app writes each to its journal before answering 202; the peers only decide); ` +
        `"at ${input.offeredPerSecond}/s" = open-loop offer, latency from when each request was due; the app's enqueued runs come last (offer, then the ${input.distinctJobs}), while its dispatcher starts on the tasks at 20/s.`,
      `webhook: process layout measured: the app is one process as \`npm start\` runs it (role all, embedded engine): webhook, queue and its journal (fdatasync before each 202, grouped), dispatcher, workflow engine and steps; ` +
        `the GitHub and Compute simulators run in the bench's process. The dispatcher's work on the tasks the enqueued runs accept (runner.yaml executions: admission, engine journal, step calls to GitHub) is CPU of the app's process and counts in its figures; ` +
        `the bench's jobs are unknown to the GitHub simulator, so validate ends each execution before a VM, and the Compute client library (loaded on its first call) is not loaded. ` +
        `On Google Cloud the webhook is a Cloud Run service of its own and Cloud Tasks holds the queue.`,
      ...input.servers.map(line),
      ...input.skipped.map((reason) => `webhook: ${reason}.`),
    ],
  };
}
