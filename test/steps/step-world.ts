import { createWarmPools } from '../../handlers/warm/warm-pools.ts';
import type { RunnerArgument } from '../../handlers/warm/warm-argument.ts';
import { activeRunsFromArguments } from '../../handlers/dispatch/active-runs-from-arguments.ts';
import { LostRunnerEvents } from '../../handlers/dispatch/lost-runner-events.ts';
import { createAdmissionSlots } from '../../handlers/state/admission-slots.ts';
import { createLocalStateStore } from '../../handlers/state/local-state-store.ts';
import { SpotLedger } from '../../handlers/steps/spot-ledger.ts';
import { randomBytes } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import type { InstanceRequest } from '../../handlers/compute/compute.ts';
import { createComputeClient, type ComputeClient } from '../../handlers/compute/create-compute-client.ts';
import { requestIdFor } from '../../handlers/compute/request-id.ts';
import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';
import { createSealer, type Sealer } from '../../handlers/crypto/sealer.ts';
import { createGitHubClient } from '../../handlers/github/create-github-client.ts';
import { createRunnerReleaseSource } from '../../handlers/github/create-runner-release-source.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { runnerNameFor } from '../../handlers/runner-name.ts';
import { mintToken, type MintTokenResult } from '../../handlers/steps/mint-token.ts';
import type { StepDeps } from '../../handlers/steps/step-deps.ts';
import { generateAppKeyPair } from '../../simulators/github/app-jwt.ts';
import { startComputeSimulator, type ComputeSimulator } from '../../simulators/compute/start-compute-simulator.ts';
import { startGitHubSimulator, type GitHubSimulator } from '../../simulators/github/start-github-simulator.ts';
import type { SimJob } from '../../simulators/github/types.ts';

/** Two zones so that a stockout has somewhere to go; `linux` is capped at 2 to make the cap cheap to reach. */
export const stepTemplates = `
defaults:
  zones: [us-central1-a, us-central1-b]
  idleTimeout: 5m
  maxRunDuration: 1h
  runnerGroupId: 3
templates:
  - name: linux
    labels: [self-hosted, Linux, x64]
    maxRunners: 2
  - name: spot
    labels: [self-hosted, linux, spot]
    spot: true
  - name: spot-only
    labels: [self-hosted, linux, spot-only]
    spot: true
    spotFallbackToOnDemand: false
access:
  owners: [acme, jane]
`;

export const project = 'runner-project';
export const callbackUrl = 'https://workflowexecutions.googleapis.com/v1/projects/p/locations/us-central1/workflows/runner/executions/e1/callbacks/c1';

/** One RSA key per test file (ava runs each file in its own process): generating it costs more than a test. */
let appKey: string | undefined;

/** A step's input as the dispatcher builds it from a `workflow_job` event. */
export interface JobInput {
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  readonly ownerIsOrganization: boolean;
  readonly jobId: number;
  readonly runAttempt: number;
  readonly templateName: string;
}

export interface StepWorld {
  readonly github: GitHubSimulator;
  readonly compute: ComputeSimulator;
  readonly computeClient: ComputeClient;
  readonly sealer: Sealer;
  readonly logs: ReturnType<typeof createMemoryLogger>;
  readonly deps: StepDeps;
  /** The runner executions the warm pools started (no engine runs them here). */
  readonly startedExecutions: readonly RunnerArgument[];
  /** Queues a job on the simulated GitHub (`acme` is an organization, `jane` a user) and returns the step input for it. */
  queueJob(options?: { owner?: string; repo?: string; templateName?: string }): Promise<JobInput>;
  runnerNameOf(job: JobInput): string;
  /** Runs a step with these deps (or others) and keeps what it returned or threw, for the secrets check. */
  run<T>(step: (input: unknown, deps: StepDeps) => Promise<T>, input: unknown, deps?: StepDeps): Promise<T>;
  /** mint-token for the job; returns its result and the create-vm input that follows it. */
  mint(job: JobInput, executionId?: string): Promise<{ minted: MintTokenResult; createInput: Record<string, unknown> }>;
  /** Makes a VM through the real client, labelled as create-vm labels them. */
  preCreateVm(name: string, templateName: string, options?: { zone?: string; execution?: string }): Promise<void>;
  /** A VM's metadata as the startup script reads it (jit-config included). */
  vmMetadata(name: string): Record<string, string>;
  /** Keeps a text (an HTTP body, an error message) for the secrets check. */
  expose(text: string): void;
  /** Every credential the simulators handed out or hold: JIT configs, installation tokens, the App key's lines. */
  secrets(): string[];
  /** Fails `t` if the log or anything exposed carries a secret. */
  assertNoSecrets(t: ExecutionContext): void;
  close(): Promise<void>;
}

export async function startStepWorld(options: { templates?: string } = {}): Promise<StepWorld> {
  appKey ??= generateAppKeyPair().privateKey;
  const logs = createMemoryLogger('debug');
  const github = await startGitHubSimulator({ privateKey: appKey });
  const compute = await startComputeSimulator({ sweepIntervalMs: 0 });
  const computeClient = createComputeClient({
    project,
    apiEndpoint: compute.url,
    log: logs.log,
    // Real pauses would only slow the tests down; the retry policy itself is tested in test/compute.
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
    timings: { operationPollDelayMs: 5, callTimeoutMs: 10_000, operationTimeoutMs: 10_000 },
  });
  const sealer = createSealer(randomBytes(32));
  const githubClient = createGitHubClient({ appId: github.appId, privateKey: github.privateKey, apiUrl: github.url, log: logs.log });
  const clock = { now: () => Date.now() };
  const state = createLocalStateStore();
  const started: RunnerArgument[] = [];
  // No engine here: a started execution is recorded, and counts as active until the test ends.
  const executions = { start: async (argument: RunnerArgument) => `execution-${started.push(argument)}` };
  const activeRuns = activeRunsFromArguments(async () => started.map((argument) => JSON.stringify(argument)));
  const templates = parseTemplatesFile(options.templates ?? stepTemplates);
  const deps: StepDeps = {
    github: githubClient,
    compute: computeClient,
    templates,
    sealer,
    log: logs.log,
    clock,
    startupScript: 'echo hi',
    spot: new SpotLedger(state),
    lostEvents: new LostRunnerEvents(state),
    slots: createAdmissionSlots(state, () => Date.now()),
    runnerRelease: createRunnerReleaseSource({ github: githubClient, releasesUrl: null, dataDir: null, clock, log: logs.log }),
    warmPools: createWarmPools({ store: state, executions, activeRuns, github: () => githubClient, templates, log: logs.log, now: () => clock.now() }),
  };
  const exposed: string[] = [];
  const world: StepWorld = {
    github,
    compute,
    computeClient,
    sealer,
    logs,
    deps,
    startedExecutions: started,
    async queueJob({ owner = 'acme', repo = 'app', templateName = 'linux' } = {}) {
      const labels = deps.templates.templates.find((template) => template.name === templateName)?.labels ?? ['self-hosted'];
      const job: SimJob = await github.createJob({ owner, repo, labels: [...labels], ownerType: owner === 'jane' ? 'User' : 'Organization' });
      const installationId = github.install(owner, job.ownerType).installationId;
      return { installationId, owner, repo, ownerIsOrganization: job.ownerType === 'Organization', jobId: job.id, runAttempt: job.runAttempt, templateName };
    },
    runnerNameOf: (job) => runnerNameFor(job.templateName, job.jobId, job.runAttempt),
    async run(step, input, stepDeps = deps) {
      try {
        const result = await step(input, stepDeps);
        exposed.push(JSON.stringify(result));
        return result;
      } catch (error) {
        exposed.push(error instanceof Error ? `${error.message} ${JSON.stringify(error)}` : String(error));
        throw error;
      }
    },
    async mint(job, executionId = 'exec-1') {
      const runnerName = runnerNameFor(job.templateName, job.jobId, job.runAttempt);
      const minted = await world.run(mintToken, { ...job, runnerName });
      const createInput = { ...job, runnerName, sealedJitConfig: minted.sealedJitConfig, callbackUrl, executionId };
      return { minted, createInput };
    },
    async preCreateVm(name, templateName, { zone = 'us-central1-a', execution = 'someone-else' } = {}) {
      const template = deps.templates.templates.find((candidate) => candidate.name === templateName);
      if (!template) throw new Error(`no template ${templateName} in the test templates`);
      const request: InstanceRequest = {
        name,
        zone,
        template,
        spot: false,
        labels: { 'managed-by': 'github-runner', template: templateName, execution },
        metadata: { 'startup-script': 'echo hi' },
        maxRunDurationSeconds: 3600,
        requestId: requestIdFor(name, zone, false),
      };
      await computeClient.insertInstance(request);
    },
    vmMetadata(name) {
      const instance = compute.instances().find((candidate) => candidate['name'] === name);
      const items = (instance?.['metadata'] as { items?: { key: string; value: string }[] } | undefined)?.items ?? [];
      return Object.fromEntries(items.map((item) => [item.key, item.value]));
    },
    expose: (text) => void exposed.push(text),
    secrets() {
      const fromGitHub = github.requests().flatMap((request) => {
        const body = (request.responseBody ?? {}) as { encoded_jit_config?: unknown; token?: unknown };
        return [body.encoded_jit_config, body.token].filter((value): value is string => typeof value === 'string');
      });
      const keyLines = github.privateKey.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'));
      return [...fromGitHub, ...keyLines];
    },
    assertNoSecrets(t) {
      const texts = [logs.text(), ...exposed];
      const leaked = world.secrets().filter((secret) => texts.some((text) => text.includes(secret)));
      t.deepEqual(leaked, [], 'a secret appears in the log or in what a step returned');
      t.false(texts.some((text) => /\bghs_[A-Za-z0-9]/.test(text)), 'an installation token appears in the log or in what a step returned');
    },
    close: async () => {
      await computeClient.close();
      await Promise.all([github.close(), compute.close()]);
    },
  };
  return world;
}

/** A test body with a fresh world, closed afterwards, and the secrets check run whatever the test did. */
export function withWorld(body: (t: ExecutionContext, world: StepWorld) => Promise<void>, options: { templates?: string } = {}) {
  return async (t: ExecutionContext) => {
    const world = await startStepWorld(options);
    t.teardown(world.close);
    await body(t, world);
    world.assertNoSecrets(t);
  };
}
