import { z } from 'zod';
import type { InstanceInfo } from '../compute/compute.ts';
import { RunnerError } from '../errors.ts';
import { describeScope } from '../github/scope.ts';
import { managedByLabel } from '../steps/step-deps.ts';
import { parseInput } from '../steps/step-input.ts';
import { freeOrphanSlots } from './free-orphan-slots.ts';
import { eachUntilRateLimited, mapLimited } from './limited-concurrency.ts';
import { locateRunner } from './locate-runner.ts';
import type { ExecutionState, ReaperDeps } from './ports.ts';
import { MAX_VM_REMOVALS_PER_RUN, VM_REMOVAL_CONCURRENCY } from './reaper-limits.ts';
import { countBy, isStoppedEarly, unlessRateLimited, type StoppedEarly } from './run-report.ts';
import { createScopeDirectory, type ScopeDirectory } from './scope-directory.ts';
import { judgeByAge, judgeByExecution, type VmVerdict } from './vm-verdict.ts';
import { emitFleetSize, emitReapedVm } from '../metrics/fleet-metrics.ts';

const inputSchema = z.object({}).nullish();

/** Executions asked about at once: the Workflows API's read quota is shared with the dispatcher. */
const STATE_CONCURRENCY = 8;

export interface RemovedVm {
  readonly name: string;
  readonly zone: string;
  readonly why: string;
  /** `absent`: no runner of that name was registered anywhere we looked. */
  readonly runner: 'deleted' | 'absent';
  readonly runnerScope: string | null;
  readonly vm: 'deleted' | 'absent';
}

export interface ReapVmsResult {
  /** VMs labelled as ours, in every zone. */
  readonly found: number;
  readonly removed: RemovedVm[];
  /** Meant to go, but did not this run (runner busy, an error, the per-run limit). */
  readonly skipped: { readonly name: string; readonly why: string }[];
  /** What was left alone, counted by reason. */
  readonly kept: Record<string, number>;
  /** Runner slots freed: neither their VM nor their execution remained. */
  readonly freedSlots: string[];
  readonly stoppedEarly: StoppedEarly | null;
}

/**
 * Deletes the VMs of ours whose execution has ended or that outlived their maximum, deregistering
 * each one's runner first. A busy runner (GitHub 422) keeps its VM: that VM is running a job.
 */
export async function reapVms(input: unknown, deps: ReaperDeps): Promise<ReapVmsResult> {
  parseInput(inputSchema, input);
  const vms = await unlessRateLimited(() => deps.compute.listInstances(managedByLabel));
  if (isStoppedEarly(vms)) return { found: 0, removed: [], skipped: [], kept: {}, freedSlots: [], stoppedEarly: vms };
  emitFleetSize(deps.log, vms, deps.templates);
  const freedSlots = await freeOrphanSlots(vms, { ...deps, now: () => deps.clock.now() });
  const verdicts = await judgeAll(vms, deps);
  const doomed = vms.flatMap((vm, i) => (verdicts[i]?.reap ? [{ vm, why: verdicts[i].why }] : []));
  const removed: RemovedVm[] = [];
  const skipped = doomed.slice(MAX_VM_REMOVALS_PER_RUN).map(({ vm, why }) => ({ name: vm.name, why: `${why}; over this run's limit of ${MAX_VM_REMOVALS_PER_RUN} removals` }));
  const directory = createScopeDirectory(deps.github, deps.templates);
  const stoppedEarly = await eachUntilRateLimited(doomed.slice(0, MAX_VM_REMOVALS_PER_RUN), VM_REMOVAL_CONCURRENCY, async ({ vm, why }) => {
    const outcome = await removeVm(deps, directory, vm, why);
    if ('skipped' in outcome) skipped.push({ name: vm.name, why: outcome.skipped });
    else removed.push(outcome);
  }, (item, error) => skipped.push({ name: item.vm.name, why: `${item.why}; removal failed: ${error}` }));
  const kept = countBy(verdicts.filter((verdict) => !verdict.reap).map((verdict) => verdict.category));
  return { found: vms.length, removed, skipped, kept, freedSlots, stoppedEarly };
}

/** One verdict per VM, in order; each execution is asked about once, however many VMs name it. */
async function judgeAll(vms: readonly InstanceInfo[], deps: ReaperDeps): Promise<VmVerdict[]> {
  const now = deps.clock.now();
  const states = new Map<string, Promise<ExecutionState>>();
  const stateOf = (id: string) => {
    const known = states.get(id) ?? deps.executionStates.state(id).catch((): ExecutionState => 'UNKNOWN');
    states.set(id, known);
    return known;
  };
  return mapLimited(vms, STATE_CONCURRENCY, async (vm) => {
    const byAge = judgeByAge(vm, now, deps.templates);
    if (byAge !== null) return byAge;
    const executionId = vm.labels['execution'];
    return judgeByExecution(executionId, executionId === undefined ? null : await stateOf(executionId));
  });
}

/** Runner first, then the VM; both halves treat "already gone" as done. */
async function removeVm(deps: ReaperDeps, directory: ScopeDirectory, vm: InstanceInfo, why: string): Promise<RemovedVm | { skipped: string }> {
  const located = await locateRunner(deps.github, directory, vm);
  let runner: RemovedVm['runner'] = 'absent';
  if (located !== null) {
    const busy = `${why}; but its runner is busy (GitHub 422): kept while it runs a job`;
    if (located.runner.busy) return { skipped: busy };
    try {
      runner = await deps.github.deleteRunner(located.scope, located.runner.id);
    } catch (error) {
      if (error instanceof RunnerError && error.kind === 'busy') return { skipped: busy };
      throw error;
    }
  }
  const outcome = await deps.compute.deleteInstance(vm.name, vm.zone);
  if (outcome === 'deleted') emitReapedVm(deps.log, deps.templates, vm, deps.clock.now());
  const runnerScope = located === null ? null : describeScope(located.scope);
  deps.log.info({ runnerName: vm.name, zone: vm.zone, runner, runnerScope, vm: outcome, why }, 'reaper removed a VM');
  return { name: vm.name, zone: vm.zone, why, runner, runnerScope, vm: outcome };
}
