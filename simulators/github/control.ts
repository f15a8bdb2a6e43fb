import type { SimContext } from './context.ts';
import type { NewJob } from './job-world.ts';
import type { NewRunner } from './runner-registry.ts';
import type { RunnerReleaseInput } from './runner-releases.ts';
import type { Account, Conclusion, Delivery, FaultSpec, OwnerType, RecordedRequest, SimJob, SimRunner, SimScope } from './types.ts';

/** A runner put straight into the world, e.g. a stale one left by an earlier attempt. */
export interface PresetRunner extends NewRunner {
  readonly online?: boolean;
  readonly busy?: boolean;
}

/** What tests, demos and the `/_sim` routes use to drive the simulated GitHub. */
export interface GitHubSimulatorControl {
  /** Installs the App on an account (default `Organization`); returns it with its installation id. */
  install(owner: string, ownerType?: OwnerType): Account;
  createJob(input: NewJob): Promise<SimJob>;
  runnerConnect(encodedJitConfig: string): Promise<{ runner: SimRunner; job: SimJob | null }>;
  completeJob(jobId: number, conclusion?: Conclusion): Promise<SimJob>;
  cancelJob(jobId: number): Promise<SimJob>;
  /** The runner's VM is gone mid-job (preempted): its job fails, as GitHub fails it. */
  runnerLost(runnerName: string): Promise<SimJob | null>;
  redeliver(deliveryId: number): Promise<Delivery>;
  addRunner(scope: SimScope, runner: PresetRunner): SimRunner;
  setWebhookUrl(url: string | undefined): void;
  setAutoRun(afterMs: number | undefined): void;
  fail(spec: FaultSpec): void;
  clearFaults(): void;
  pendingFaults(): FaultSpec[];
  requests(): RecordedRequest[];
  clearRequests(): void;
  deliveries(): Delivery[];
  runners(): SimRunner[];
  jobs(): SimJob[];
  job(jobId: number): SimJob | undefined;
  /** Installation tokens minted so far: a working client cache mints one per installation. */
  tokensMinted(): number;
  /** Every installation token stops working (as after an App key rotation). */
  revokeTokens(): void;
  /** Resolves once no webhook delivery is in flight. */
  settled(): Promise<void>;
  /** Publishes a new latest release of actions/runner. */
  publishRunnerRelease(input: RunnerReleaseInput): void;
}

export function createControl(ctx: SimContext): GitHubSimulatorControl {
  return {
    install: (owner, ownerType) => ctx.accounts.install(owner, ownerType),
    createJob: (input) => ctx.jobs.createJob(input),
    runnerConnect: (config) => ctx.jobs.runnerConnect(config),
    completeJob: (jobId, conclusion) => ctx.jobs.completeJob(jobId, conclusion),
    cancelJob: (jobId) => ctx.jobs.cancelJob(jobId),
    runnerLost: (runnerName) => ctx.jobs.runnerLost(runnerName),
    redeliver: (deliveryId) => ctx.deliveries.redeliver(deliveryId),
    addRunner(scope, preset) {
      ctx.accounts.install(scope.owner);
      const runner = ctx.runners.register(scope, preset);
      if (runner === 'exists') throw new Error(`a runner named ${preset.name} already exists`);
      Object.assign(runner, { status: preset.online === true ? 'online' : 'offline', busy: preset.busy === true });
      return runner;
    },
    setWebhookUrl: (url) => ctx.setWebhookUrl(url),
    setAutoRun: (afterMs) => ctx.jobs.setAutoRun(afterMs),
    fail: (spec) => ctx.faults.add(spec),
    clearFaults: () => ctx.faults.clear(),
    pendingFaults: () => ctx.faults.pending(),
    requests: () => ctx.recorder.all(),
    clearRequests: () => ctx.recorder.clear(),
    deliveries: () => ctx.deliveries.all(),
    runners: () => ctx.runners.all(),
    jobs: () => ctx.jobs.all(),
    job: (jobId) => ctx.jobs.get(jobId),
    tokensMinted: () => ctx.tokens.minted(),
    revokeTokens: () => ctx.tokens.revokeAll(),
    settled: () => ctx.deliveries.settled(),
    publishRunnerRelease: (input) => ctx.runnerReleases.publish(input),
  };
}
