import { createAdmissionSlots } from '../../handlers/state/admission-slots.ts';
import { createLocalStateStore } from '../../handlers/state/local-state-store.ts';
import type { ExecutionContext } from 'ava';
import { createComputeClient, type ComputeClient } from '../../handlers/compute/create-compute-client.ts';
import { requestIdFor } from '../../handlers/compute/request-id.ts';
import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';
import { createGitHubClient } from '../../handlers/github/create-github-client.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import type { ExecutionState, ReaperDeps } from '../../handlers/reaper/ports.ts';
import { runnerNameFor } from '../../handlers/runner-name.ts';
import { generateAppKeyPair } from '../../simulators/github/app-jwt.ts';
import { startComputeSimulator, type ComputeSimulator } from '../../simulators/compute/start-compute-simulator.ts';
import { startGitHubSimulator, type GitHubSimulator } from '../../simulators/github/start-github-simulator.ts';
import type { SimRunner, SimScope } from '../../simulators/github/types.ts';

/** idle 5 min + max 1 h + 10 min boot + 15 min grace: a `linux` VM may live 90 minutes. */
export const reaperTemplates = `
defaults:
  zones: [us-central1-a, us-central1-b]
  idleTimeout: 5m
  maxRunDuration: 1h
  runnerGroupId: 3
templates:
  - name: linux
    labels: [self-hosted, linux, x64]
access:
  owners: [acme, jane]
`;

export const MINUTE = 60_000;

/** A clock the test moves; the Compute simulator stamps creation times with it, the reaper reads it. */
export function shiftableClock() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms: number) => void (offset += ms), set: (ms: number) => void (offset = ms) };
}

let appKey: string | undefined;

export interface ReaperWorld {
  readonly github: GitHubSimulator;
  readonly compute: ComputeSimulator;
  readonly computeClient: ComputeClient;
  readonly logs: ReturnType<typeof createMemoryLogger>;
  /** The reaper's and Compute's time. */
  readonly clock: ReturnType<typeof shiftableClock>;
  /** GitHub's time: deliveries are stamped with it (App JWTs are checked against it too, so reset it after use). */
  readonly githubClock: ReturnType<typeof shiftableClock>;
  /** What the execution-state port answers, by execution id; others are UNKNOWN. */
  readonly executions: Map<string, ExecutionState>;
  /** Every execution id the reaper asked about. */
  readonly asked: string[];
  readonly deps: ReaperDeps;
  readonly acme: number;
  readonly jane: number;
  /** A VM labelled as create-vm labels them, created now by the shared clock. */
  vm(name: string, options?: { execution?: string; owner?: string | null; zone?: string; metadata?: Record<string, string> }): Promise<void>;
  runner(scope: SimScope, name: string, options?: { online?: boolean; busy?: boolean }): SimRunner;
  vmNames(): string[];
  runnerNames(): string[];
  /** Fails `t` if a credential appears in the log or in anything given. */
  assertNoSecrets(t: ExecutionContext, ...results: unknown[]): void;
  close(): Promise<void>;
}

let nextJob = 1;
/** A runner/VM name as ours are made: `ghr-linux-<job>-1`. */
export const ourName = () => runnerNameFor('linux', 70_000 + nextJob++, 1);

export async function startReaperWorld(options: { webhookUrl?: string } = {}): Promise<ReaperWorld> {
  appKey ??= generateAppKeyPair().privateKey;
  const logs = createMemoryLogger('debug');
  const clock = shiftableClock();
  const githubClock = shiftableClock();
  const github = await startGitHubSimulator({ privateKey: appKey, clock: githubClock, ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}) });
  const compute = await startComputeSimulator({ sweepIntervalMs: 0, clock });
  const computeClient = createComputeClient({
    project: 'runner-project',
    apiEndpoint: compute.url,
    log: logs.log,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
    timings: { operationPollDelayMs: 5, callTimeoutMs: 10_000, operationTimeoutMs: 10_000 },
  });
  const templates = parseTemplatesFile(reaperTemplates);
  const executions = new Map<string, ExecutionState>();
  const asked: string[] = [];
  // The port is an external service's (Cloud Workflows, the embedded engine): a tiny object stands in.
  const executionStates = { state: async (id: string) => (asked.push(id), executions.get(id) ?? 'UNKNOWN') };
  const client = createGitHubClient({ appId: github.appId, privateKey: github.privateKey, apiUrl: github.url, log: logs.log });
  const activeRunners = new Set<string>();
  const activeRuns = { runnerNames: async () => activeRunners };
  const slots = createAdmissionSlots(createLocalStateStore(), () => clock.now());
  const deps: ReaperDeps = { github: client, compute: computeClient, templates, log: logs.log, clock, executionStates, activeRuns, slots };
  const acme = github.install('acme', 'Organization').installationId;
  const jane = github.install('jane', 'User').installationId;
  const template = templates.templates[0]!;
  return {
    github, compute, computeClient, logs, clock, githubClock, executions, asked, deps, acme, jane,
    async vm(name, { execution = 'exec-1', owner = 'acme', zone = 'us-central1-a', metadata = {} } = {}) {
      const labels: Record<string, string> = { 'managed-by': 'github-runner', template: 'linux', 'job-id': '1', 'run-attempt': '1', execution };
      if (owner !== null) labels['owner'] = owner;
      await computeClient.insertInstance({
        name, zone, template, spot: false, labels,
        metadata: { 'startup-script': 'echo hi', ...metadata },
        maxRunDurationSeconds: 5400,
        requestId: requestIdFor(name, zone, false),
      });
    },
    runner: (scope, name, runnerOptions = {}) => github.addRunner(scope, { name, groupId: 3, labels: ['self-hosted'], ...runnerOptions }),
    vmNames: () => compute.instances().map((instance) => String(instance['name'])).sort(),
    runnerNames: () => github.runners().map((runner) => runner.name).sort(),
    assertNoSecrets(t, ...results) {
      const texts = [logs.text(), ...results.map((result) => JSON.stringify(result))];
      const tokens = github.requests().flatMap((request) => {
        const token = (request.responseBody as { token?: unknown } | null)?.token;
        return typeof token === 'string' ? [token] : [];
      });
      t.false(texts.some((text) => tokens.some((token) => text.includes(token))), 'an installation token leaked');
      t.false(texts.some((text) => /\bghs_[A-Za-z0-9]|\beyJ[A-Za-z0-9_-]{8,}\./.test(text)), 'a token or JWT leaked');
    },
    close: async () => {
      await computeClient.close();
      await Promise.all([github.close(), compute.close()]);
    },
  };
}

/** A test body with a fresh world, closed afterwards. */
export function withReaperWorld(body: (t: ExecutionContext, world: ReaperWorld) => Promise<void>, options: { webhookUrl?: string } = {}) {
  return async (t: ExecutionContext) => {
    const world = await startReaperWorld(options);
    t.teardown(world.close);
    await body(t, world);
  };
}
