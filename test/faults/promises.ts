import type { ExecutionContext } from 'ava';
import { parseRunnerName } from '../../handlers/runner-name.ts';
import type { Conclusion, SimJob } from '../../simulators/github/types.ts';
import { eventually } from '../helpers/system.ts';
import { executionsFor, resultOf, type FaultWorld } from './fault-world.ts';

/** What one job should have come to; a bare SimJob means: it ran on a runner of ours and succeeded. */
export interface JobPromise {
  readonly job: SimJob;
  readonly conclusion?: Conclusion;
  /** The job never ran on a runner; the execution made for it must say why: its result's outcome or its error matches. */
  readonly neverRanBecause?: RegExp;
}

export interface PromiseOptions {
  /** The bound on cleanup, from this call: the README's "at most" for the path taken. Default 20 s (its "seconds"). */
  readonly withinMs?: number;
  /** The end states the runner executions may have. Default: every one SUCCEEDED. */
  readonly executionStates?: readonly string[];
}

const oursOnly = (world: FaultWorld) => world.github.runners().filter((runner) => parseRunnerName(runner.name) !== null);

/** Successful JIT mints, by runner name, from the GitHub simulator's request log. */
function mintsByName(world: FaultWorld): Map<string, number> {
  const mints = new Map<string, number>();
  for (const request of world.github.requests()) {
    if (request.method !== 'POST' || !request.path.endsWith('/generate-jitconfig') || request.status !== 201) continue;
    const name = String((request.body as { name?: unknown } | null)?.name);
    mints.set(name, (mints.get(name) ?? 0) + 1);
  }
  return mints;
}

/** Everything that settles once the system is done with the jobs. */
function leftovers(world: FaultWorld, jobs: readonly JobPromise[]): string[] {
  const left: string[] = [];
  const active = world.engine.listExecutions('runner').filter((execution) => execution.state === 'ACTIVE');
  if (active.length > 0) left.push(`${active.length} runner execution(s) active`);
  const unfinished = jobs.filter(({ job, neverRanBecause }) => neverRanBecause === undefined && world.github.job(job.id)?.status !== 'completed');
  if (unfinished.length > 0) left.push(`job(s) ${unfinished.map(({ job }) => job.id).join(', ')} not completed`);
  const vms = world.compute.instances().map((vm) => String(vm['name']));
  if (vms.length > 0) left.push(`VM(s) ${vms.join(', ')}`);
  const runners = oursOnly(world).map((runner) => runner.name);
  if (runners.length > 0) left.push(`runner(s) ${runners.join(', ')}`);
  return left;
}

/** What happened, for the test's log: the calls made, the answers that were not 2xx, how executions ended. */
export function describeRun(world: FaultWorld): string {
  const count = (items: string[]) => [...items.reduce((map, item) => map.set(item, (map.get(item) ?? 0) + 1), new Map<string, number>())].map(([item, n]) => `${item}×${n}`).join(', ');
  const computeCalls = count(world.compute.calls().map((call) => call.call));
  const githubErrors = count(world.github.requests().filter((request) => request.status >= 300).map((request) => `${request.method} ${request.path.replace(/\d{3,}/g, ':id')} → ${request.status}`));
  const executions = world.engine.listExecutions('runner', 'FULL').map((execution) => `${execution.state} ${String(resultOf(execution)['outcome'] ?? execution.error?.payload.slice(0, 80) ?? '')}`);
  return `compute calls: ${computeCalls}; GitHub non-2xx: ${githubErrors || 'none'}; runner executions: ${executions.join(' | ')}`;
}

/**
 * The three promises, read from the simulators' recorded state once the system has settled:
 * 1. every job got exactly one runner of ours that ran it, or the execution made for it says why not;
 * 2. no VM and no runner registration of ours is left, within `withinMs`;
 * 3. nothing was done twice: one VM creation and one successful JIT mint per name, one execution
 *    per job attempt, never two VMs of one job at once.
 */
export async function assertPromises(t: ExecutionContext, world: FaultWorld, expected: readonly (SimJob | JobPromise)[], options: PromiseOptions = {}): Promise<void> {
  const jobs = expected.map((item): JobPromise => ('job' in item ? item : { job: item }));
  const withinMs = options.withinMs ?? 20_000;
  const settled = await eventually(() => leftovers(world, jobs).length === 0, withinMs, 'cleanup').then(() => true, () => false);
  t.true(settled, `not settled within ${withinMs} ms: ${leftovers(world, jobs).join('; ')}`);

  for (const { job, conclusion, neverRanBecause } of jobs) {
    const final = world.github.job(job.id);
    const executions = executionsFor(world, job.id);
    if (neverRanBecause === undefined) {
      t.is(final?.status, 'completed', `job ${job.id} completed`);
      t.not(parseRunnerName(final?.runnerName ?? ''), null, `job ${job.id} ran on a runner of ours`);
      t.is(final?.conclusion, conclusion ?? 'success');
      t.is(world.ledger.created.get(final?.runnerName ?? ''), 1, `the runner that ran job ${job.id} had its VM`);
    } else {
      t.is(final?.runnerName, null, `job ${job.id} never ran`);
      const reasons = executions.map((execution) => `${String(resultOf(execution)['outcome'] ?? '')} ${execution.error?.payload ?? ''}`);
      t.true(reasons.some((reason) => neverRanBecause.test(reason)), `an execution for job ${job.id} says why (${neverRanBecause}): ${reasons.join(' | ')}`);
    }
    t.true(executions.length <= 1, `job ${job.id} had ${executions.length} executions`);
  }

  t.is(world.compute.counts().live, 0, 'no VM left');
  t.deepEqual(oursOnly(world).map((runner) => runner.name), [], 'no runner of ours left');

  for (const [name, times] of world.ledger.created) t.is(times, 1, `VM ${name} created ${times} times`);
  for (const [name, times] of mintsByName(world)) t.is(times, 1, `runner ${name} minted ${times} times`);
  for (const [jobId, most] of world.ledger.mostAtOnce) t.true(most <= 1, `job ${jobId} had ${most} VMs at once`);
  const allowed = options.executionStates ?? ['SUCCEEDED'];
  for (const execution of world.engine.listExecutions('runner', 'FULL')) {
    t.true(allowed.includes(execution.state), `execution ${execution.name} ended ${execution.state}: ${execution.error?.payload ?? ''}`);
  }
  t.log(describeRun(world));
}
