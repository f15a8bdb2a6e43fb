import { z } from 'zod';
import { RunnerError } from '../errors.ts';
import type { RunnerScope } from '../github/github.ts';
import { findTemplate, runnerScopeOf, type StepDeps } from './step-deps.ts';
import { parseInput, runnerFields, runnerName } from './step-input.ts';
import { emitVmDeleted } from '../metrics/fleet-metrics.ts';

const inputSchema = z.object({
  ...runnerFields,
  templateName: z.string().min(1),
  runnerName,
  /** Known once mint-token ran; otherwise the runner is looked up by name. */
  runnerId: z.number().int().nullable().optional(),
  /** Only if the runner is idle: a runner GitHub counts as busy keeps its VM (`vm: kept`). */
  onlyIfIdle: z.boolean().optional(),
  /** The execution failed: a warm runner's seat is then refilled by the pools' tending, not at once (no loop of failing runners). */
  failed: z.boolean().optional(),
});

export interface DeleteVmResult {
  readonly runnerName: string;
  /** `busy`: GitHub still counts it as running a job; the reaper removes it once it is offline. */
  readonly runner: 'deleted' | 'absent' | 'busy';
  /** `kept`: asked `onlyIfIdle`, and the runner had taken a job. */
  readonly vm: 'deleted' | 'absent' | 'kept';
  readonly zone: string | null;
}

async function deregister(deps: StepDeps, scope: RunnerScope, name: string, runnerId: number | null | undefined): Promise<DeleteVmResult['runner']> {
  const id = runnerId ?? (await deps.github.findRunnerByName(scope, name))?.id;
  if (id === undefined) return 'absent';
  try {
    return await deps.github.deleteRunner(scope, id);
  } catch (error) {
    if (error instanceof RunnerError && error.kind === 'busy') return 'busy';
    throw error;
  }
}

/**
 * Removes the runner from GitHub, then its VM. Both halves are idempotent. A runner still busy
 * (the job outlived its maximum) cannot be deregistered: its VM goes first, then one more try.
 * If GitHub fails, the VM is deleted all the same before the error is raised.
 */
export async function deleteVm(input: unknown, deps: StepDeps): Promise<DeleteVmResult> {
  const job = parseInput(inputSchema, input);
  const template = findTemplate(deps.templates, job.templateName);
  const scope = runnerScopeOf(job, template);
  // A GitHub outage must not keep a VM (and its cost) alive: the VM goes anyway, and the error is
  // raised after, so the workflow retries the deregistration alone.
  const deregistration = await deregister(deps, scope, job.runnerName, job.runnerId).then(
    (outcome) => ({ outcome, error: undefined }),
    (error: unknown) => ({ outcome: 'busy' as const, error }),
  );
  if (job.onlyIfIdle === true) {
    if (deregistration.error !== undefined) throw deregistration.error; // unknown: leave the VM, let the workflow retry
    if (deregistration.outcome === 'busy') {
      deps.log.info({ runnerName: job.runnerName, jobId: job.jobId }, 'runner kept: it has taken a job');
      return { runnerName: job.runnerName, runner: 'busy', vm: 'kept', zone: null };
    }
  }
  const instance = await deps.compute.findInstance(job.runnerName, template.zones);
  const vm = instance ? await deps.compute.deleteInstance(job.runnerName, instance.zone) : 'absent';
  if (instance && vm === 'deleted') emitVmDeleted(deps.log, template, instance, deps.clock.now());
  // The VM is gone: its slot under the template's cap goes to the next job.
  await deps.slots.release(template.name, job.runnerName);
  // A warm runner deleted while it still fills its seat (unused until its maximum idle age, its
  // VM lost): its seat gets a new one. One that took a job was replaced when the job started.
  if (job.warm !== undefined && job.failed !== true) await deps.warmPools.replace(job.runnerName, 'its runner was removed');
  // A seat closed for want of a slot reopens now that one is free.
  if (template.warmPool !== undefined) await deps.warmPools.fill(template.name);
  if (deregistration.error !== undefined) throw deregistration.error;
  let runner = deregistration.outcome;
  if (runner === 'busy') runner = await deregister(deps, scope, job.runnerName, job.runnerId);
  deps.log.info({ runnerName: job.runnerName, jobId: job.jobId, runner, vm }, 'runner removed');
  return { runnerName: job.runnerName, runner, vm, zone: instance?.zone ?? null };
}
