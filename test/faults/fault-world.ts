import { parseRunnerName } from '../../handlers/runner-name.ts';
import type { SimJob } from '../../simulators/github/types.ts';
import type { Execution } from '../../workflows/engine/execution-record.ts';
import { eventually, startTestSystem } from '../helpers/system.ts';
import { JumpClock } from './jump-clock.ts';

/** What the Compute simulator did, as seen through its status events (a first status is a creation). */
export interface VmLedger {
  /** VM creations by name: more than one for a name is a VM made twice. */
  readonly created: Map<string, number>;
  /** By job id: the most VMs made for it that existed at once, in any zone. */
  readonly mostAtOnce: Map<number, number>;
}

type TestSystem = Awaited<ReturnType<typeof startTestSystem>>;
export type FaultWorld = TestSystem & { readonly clock: JumpClock; readonly ledger: VmLedger };

/** The whole system (startTestSystem), on a clock a test can jump, with a ledger of VM creations. */
export async function startFaultWorld(options: Parameters<typeof startTestSystem>[0] = {}): Promise<FaultWorld> {
  const clock = new JumpClock();
  const world = await startTestSystem({ clock, engineClock: clock, ...options });
  const ledger: VmLedger = { created: new Map(), mostAtOnce: new Map() };
  const live = new Map<number, Set<string>>();
  world.compute.onInstanceStatus(({ name, zone, status, previousStatus }) => {
    const jobId = parseRunnerName(name)?.jobId ?? -1;
    const vms = live.get(jobId) ?? new Set<string>();
    live.set(jobId, vms);
    if (previousStatus === null) {
      ledger.created.set(name, (ledger.created.get(name) ?? 0) + 1);
      vms.add(`${zone}/${name}`);
    }
    if (status === 'DELETED') vms.delete(`${zone}/${name}`);
    ledger.mostAtOnce.set(jobId, Math.max(ledger.mostAtOnce.get(jobId) ?? 0, vms.size));
  });
  return { ...world, clock, ledger };
}

export const jobLabels = ['self-hosted', 'linux'];

/** The first job of a fresh simulator gets this id, so a test can prepare for its runner name. */
export const firstJobId = 30_000_000_001;

export function queueJob(world: FaultWorld, repo = 'app'): Promise<SimJob> {
  return world.github.createJob({ owner: 'octo-org', repo, labels: jobLabels });
}

export function whenRunning(world: FaultWorld, job: SimJob, timeoutMs = 45_000): Promise<SimJob> {
  return eventually(() => world.github.job(job.id)?.status === 'in_progress' && world.github.job(job.id), timeoutMs, `job ${job.id} running`);
}

/** Queues a job, waits for a runner to take it, lets `whileRunning` act, then completes it. */
export async function runOneJob(world: FaultWorld, whileRunning?: (running: SimJob) => void | Promise<void>): Promise<SimJob> {
  const job = await queueJob(world);
  const running = await whenRunning(world, job);
  await whileRunning?.(running);
  await world.github.completeJob(job.id, 'success');
  return job;
}

/** The runner executions started for a job (its argument names it), oldest first. */
export function executionsFor(world: FaultWorld, jobId: number): Execution[] {
  return world.engine
    .listExecutions('runner', 'FULL')
    .filter((execution) => (JSON.parse(execution.argument ?? '{}') as { jobId?: number }).jobId === jobId)
    .reverse();
}

/** Resolves once the execution waits for its runner's events (`await_event` has run). */
export function whenAwaiting(world: FaultWorld, executionName: string): Promise<true> {
  return eventually(() => world.engine.listStepEntries(executionName)?.some((entry) => entry.step === 'await_event') === true, 30_000, 'await_event');
}

export function resultOf(execution: Execution | undefined): Record<string, unknown> {
  return JSON.parse(execution?.result ?? '{}') as Record<string, unknown>;
}

/**
 * Starts a reaper execution (as the 5-minute timer would) and awaits its end. When it reaches its
 * half-hour wait between the two looks at runners, `beforeSecondLook` runs first (e.g. to let
 * running jobs end: the jump ends every wait of the runner executions too), then time jumps past
 * the wait.
 */
export async function runReaper(world: FaultWorld, beforeSecondLook?: () => Promise<unknown>): Promise<Execution & { report: Record<string, unknown> }> {
  const { name } = world.engine.createExecution('reaper', '{}');
  const waiting = await eventually(() => {
    if (world.engine.getExecution(name)?.state !== 'ACTIVE') return 'ended';
    return world.clock.longestPendingSleep() > 20 * 60_000 && 'waiting';
  }, 60_000, 'the reaper to end or wait');
  if (waiting === 'waiting') {
    await beforeSecondLook?.();
    world.clock.jump(1801_000);
  }
  const ended = await world.engine.awaitExecution(name);
  return { ...ended, report: resultOf(ended) };
}
