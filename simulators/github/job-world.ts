import type { Clock } from '../../handlers/clock.ts';
import type { Accounts } from './accounts.ts';
import type { Deliveries } from './deliveries.ts';
import { isoSeconds } from './http.ts';
import { newJob, repoIdOf, type NewJob } from './new-job.ts';
import { canRun, groupName } from './matching.ts';
import { connectableRunner, type RunnerRegistry } from './runner-registry.ts';
import type { Conclusion, SimJob, SimRunner } from './types.ts';
import { workflowJobPayload, type WorkflowJobAction } from './workflow-job-payload.ts';

export type { NewJob };

/** Jobs as GitHub Actions runs them: queued, taken by a matching idle runner, completed. */
export interface JobWorld {
  /** Queues a job and delivers `queued`; an idle matching runner takes it at once (`in_progress`). */
  createJob(input: NewJob): Promise<SimJob>;
  /** What `run.sh --jitconfig` does: the runner comes online and takes the oldest job it matches. */
  runnerConnect(encodedJitConfig: string): Promise<{ runner: SimRunner; job: SimJob | null }>;
  completeJob(jobId: number, conclusion?: Conclusion): Promise<SimJob>;
  /** Before pickup: `completed`/`cancelled` with `runner_name: null`. After: the runner is stopped. */
  cancelJob(jobId: number): Promise<SimJob>;
  /** `POST …/jobs/{id}/rerun`: a finished job comes back as a new job, the next attempt of its run. */
  rerunJob(jobId: number): Promise<SimJob>;
  /** The runner's machine vanished mid-job: GitHub fails the job once the runner stops answering. */
  runnerLost(runnerName: string): Promise<SimJob | null>;
  get(jobId: number): SimJob | undefined;
  all(): SimJob[];
  /** When set, a runner completes its job with `success` this many ms after taking it. */
  setAutoRun(afterMs: number | undefined): void;
  close(): void;
}

export interface JobWorldDeps {
  readonly clock: Clock;
  readonly accounts: Accounts;
  readonly runners: RunnerRegistry;
  readonly deliveries: Deliveries;
  readonly apiUrl: () => string;
}

export function createJobWorld(deps: JobWorldDeps): JobWorld {
  const jobs = new Map<number, SimJob>();
  const repoIds = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let autoRunMs: number | undefined;
  const now = () => isoSeconds(deps.clock.now());
  const emit = async (job: SimJob, action: WorkflowJobAction) => {
    const account = deps.accounts.install(job.owner, job.ownerType);
    const payload = workflowJobPayload(job, action, account, deps.apiUrl());
    const meta = { event: 'workflow_job', action, installationId: account.installationId, repositoryId: job.repoId };
    await deps.deliveries.send(payload, meta);
  };
  const assign = async (job: SimJob, runner: SimRunner) => {
    Object.assign(job, { status: 'in_progress', startedAt: now(), runnerId: runner.id, runnerName: runner.name });
    Object.assign(job, { runnerGroupId: runner.groupId, runnerGroupName: groupName(runner.groupId) });
    runner.busy = true;
    await emit(job, 'in_progress');
    if (autoRunMs !== undefined) schedule(autoRunMs, () => world.completeJob(job.id, 'success'));
  };
  const schedule = (ms: number, action: () => Promise<unknown>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action().catch(() => undefined); // the job may have been completed or cancelled meanwhile
    }, ms);
    timers.add(timer);
  };
  const finish = async (job: SimJob, conclusion: Conclusion) => {
    Object.assign(job, { status: 'completed', conclusion, completedAt: now() });
    // A JIT runner runs one job, goes offline and is removed by GitHub.
    if (job.runnerId !== null) deps.runners.remove(job.runnerId);
    await emit(job, 'completed');
    return job;
  };
  const queue = async (job: SimJob): Promise<SimJob> => {
    jobs.set(job.id, job);
    await emit(job, 'queued');
    // A runner that connected while `queued` was in flight may have taken the job already.
    const idle = deps.runners.all().find((r) => r.status === 'online' && !r.busy && canRun(r, job));
    if (idle !== undefined && job.status === 'queued') await assign(job, idle);
    return job;
  };
  const world: JobWorld = {
    async createJob(input) {
      const account = deps.accounts.install(input.owner, input.ownerType);
      return queue(newJob({ ...input, ownerType: account.type }, jobs.size, repoIdOf(repoIds, input), now()));
    },
    async rerunJob(jobId) {
      const previous = existing(jobs, jobId);
      if (previous.status !== 'completed') throw new RerunRefused(`job ${jobId} is ${previous.status}; only a completed job can be re-run`);
      const next = newJob(previous, jobs.size, previous.repoId, now());
      return queue({ ...next, runId: previous.runId, runAttempt: previous.runAttempt + 1 });
    },
    async runnerLost(runnerName) {
      const job = [...jobs.values()].find((candidate) => candidate.status === 'in_progress' && candidate.runnerName === runnerName);
      return job ? finish(job, 'failure') : null;
    },
    async runnerConnect(encodedJitConfig) {
      const runner = connectableRunner(deps.runners, encodedJitConfig);
      Object.assign(runner, { connected: true, status: 'online' });
      const job = [...jobs.values()].find((j) => j.status === 'queued' && canRun(runner, j)) ?? null;
      if (job !== null) await assign(job, runner);
      return { runner, job };
    },
    async completeJob(jobId, conclusion = 'success') {
      const job = existing(jobs, jobId);
      if (job.status !== 'in_progress') throw new Error(`job ${jobId} is ${job.status}, not in_progress`);
      return finish(job, conclusion);
    },
    async cancelJob(jobId) {
      const job = existing(jobs, jobId);
      if (job.status === 'completed') throw new Error(`job ${jobId} is already completed`);
      return finish(job, 'cancelled');
    },
    get: (jobId) => jobs.get(jobId),
    all: () => [...jobs.values()],
    setAutoRun: (afterMs) => void (autoRunMs = afterMs),
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
  return world;
}

/** GitHub answers 403 when a job cannot be re-run (e.g. it is still running). */
export class RerunRefused extends Error {
  override readonly name = 'RerunRefused';
}

function existing(jobs: Map<number, SimJob>, jobId: number): SimJob {
  const job = jobs.get(jobId);
  if (job === undefined) throw new Error(`no job ${jobId}`);
  return job;
}
