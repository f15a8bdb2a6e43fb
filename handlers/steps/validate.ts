import { z } from 'zod';
import { RunnerError } from '../errors.ts';
import { parseRunnerName, runnerNameFor } from '../runner-name.ts';
import { madeBy } from './create-vm.ts';
import { checkAccess } from '../webhook/check-access.ts';
import { findTemplate, managedByLabel, templateVmsMaxAgeMs, type StepDeps } from './step-deps.ts';
import { jobFields, parseInput, runnerFields, runnerName as runnerNameSchema } from './step-input.ts';
import { claimRecheckSeconds } from '../warm/warm-pools.ts';
import type { RunnerTemplate } from '../config/types.ts';

/** `executionId`: the asking execution; a VM of the job's name made by another one is left to it. */
const inputSchema = z.object({ ...jobFields, templateName: z.string().min(1), executionId: z.string().min(1).optional() });
const warmInputSchema = z.object({ ...runnerFields, warm: runnerFields.warm.unwrap(), runnerName: runnerNameSchema, templateName: z.string().min(1), executionId: z.string().min(1) });

export type ValidateResult =
  /** `recheckSeconds`: a warm runner is to take the job; ask again then whether one did. */
  | { readonly proceed: false; readonly reason: string; readonly recheckSeconds?: number }
  | {
      readonly proceed: true;
      readonly reason: string;
      readonly runnerName: string;
      readonly templateName: string;
      readonly idleTimeoutSeconds: number;
      readonly maxRunDurationSeconds: number;
      readonly vmCheckIntervalSeconds: number;
    };

/**
 * Decides whether this job still needs a VM: the template exists, the repository is served, the job
 * is still queued on GitHub, and the template has room (else `capacity`, which the workflow retries).
 * Going on, the execution keeps its runner slot (taking one if admission did not); skipping, it
 * gives the slot back.
 */
export async function validate(input: unknown, deps: StepDeps): Promise<ValidateResult> {
  if (typeof input === 'object' && input !== null && 'warm' in input) return validateWarm(input, deps);
  const job = parseInput(inputSchema, input);
  const template = findTemplate(deps.templates, job.templateName);
  const fullName = `${job.owner}/${job.repo}`;
  const runnerName = runnerNameFor(template.name, job.jobId, job.runAttempt);
  const skip = async (reason: string): Promise<ValidateResult> => {
    // No VM will be made here: the slot admission took for this runner goes back at once, unless a
    // second execution of the same job is asking: the first one keeps it (validate said so), or its VM holds it.
    if (!(await deps.compute.findInstance(runnerName, template.zones))) await deps.slots.release(template.name, runnerName, { by: job.executionId });
    // A warm runner it counted on is free for another job again.
    await deps.warmPools.releaseClaim(template.name, job.jobId);
    return { proceed: false, reason };
  };
  // Visibility was checked by the webhook; here only the owner and allowlist can have changed.
  const denied = checkAccess({ owner: job.owner, fullName, isPrivate: true }, deps.templates.access);
  if (denied) return skip(denied);
  const state = await deps.github.getJob({ installationId: job.installationId, owner: job.owner, repo: job.repo, jobId: job.jobId });
  if (state === null) return skip(`job ${job.jobId} no longer exists`);
  const taker = state.runnerName === null ? null : parseRunnerName(state.runnerName);
  // A job taken by a runner we made for another job leaves that other job without one: the VM
  // made here serves it (GitHub hands it to the first idle runner), so go on. A warm runner was
  // made for no job: its seat has a new one already.
  const tookAnothersRunner = taker !== null && taker.warm === undefined && state.runnerName !== runnerName;
  if (state.status !== 'queued' && !tookAnothersRunner) return skip(`job ${job.jobId} is ${state.status}, no longer queued`);
  // Admission claimed an idle warm runner for it: GitHub gives the job to an idle runner within
  // seconds. Until the claim runs out the execution asks again; then the job gets its own VM.
  const warmRunner = state.status === 'queued' ? await deps.warmPools.claimOf(template.name, job.jobId) : null;
  if (warmRunner !== null) return { proceed: false, reason: `job ${job.jobId} is queued for warm runner ${warmRunner}`, recheckSeconds: claimRecheckSeconds };
  // A second execution for the same job (a task delivered twice) must not re-mint the runner that
  // the first one's VM is about to use: asked fresh, as the VM may be seconds old.
  const own = await deps.compute.findInstance(runnerName, template.zones);
  if (own && job.executionId !== undefined && !madeBy(own, job.executionId)) {
    return { proceed: false, reason: `VM ${runnerName} belongs to another execution` };
  }
  // Admission counted precisely before starting this execution; this count is for executions started
  // without it (a re-run from the CLI or the Console), so a list a few seconds old will do.
  const live = await deps.compute.listInstances({ ...managedByLabel, template: template.name }, { metadata: false, maxAgeMs: templateVmsMaxAgeMs });
  const others = live.filter((instance) => instance.name !== runnerName && !/^(STOPPING|TERMINATED)$/.test(instance.status));
  if (others.length >= template.maxRunners) {
    throw new RunnerError('capacity', `template ${template.name} has ${others.length} of ${template.maxRunners} runners`);
  }
  // The slot this execution goes on with, marked as its own (a second execution of the job cannot give it back).
  if (job.executionId !== undefined && !(await deps.slots.keep(template.name, runnerName, template.maxRunners, job.executionId))) {
    throw new RunnerError('capacity', `template ${template.name} has no free runner slot`);
  }
  return {
    ...timingOf(template, template.idleTimeoutSeconds),
    reason: tookAnothersRunner ? `job ${job.jobId} ran on ${state.runnerName}, whose own job needs this VM` : `job ${job.jobId} is queued`,
    runnerName,
  };
}

function timingOf(template: RunnerTemplate, idleTimeoutSeconds: number) {
  return { proceed: true, templateName: template.name, idleTimeoutSeconds, maxRunDurationSeconds: template.maxRunDurationSeconds, vmCheckIntervalSeconds: template.vmCheckIntervalSeconds } as const;
}

/**
 * A warm pool's runner goes on while it still fills its seat (a re-run of a replaced one does
 * not) and a runner slot is free; it then waits for a job up to the pool's maximum idle age.
 */
async function validateWarm(input: unknown, deps: StepDeps): Promise<ValidateResult> {
  const runner = parseInput(warmInputSchema, input);
  const template = findTemplate(deps.templates, runner.templateName);
  const { runnerName, executionId } = runner;
  const own = await deps.compute.findInstance(runnerName, template.zones);
  if (own && !madeBy(own, executionId)) return { proceed: false, reason: `VM ${runnerName} belongs to another execution` };
  const skip = async (reason: string): Promise<ValidateResult> => {
    if (!own) await deps.slots.release(template.name, runnerName, { by: executionId });
    return { proceed: false, reason };
  };
  if (template.warmPool === undefined) return skip(`template ${template.name} has no warm pool`);
  if (!(await deps.warmPools.holdsSeat(runnerName))) return skip(`warm runner ${runnerName} no longer fills seat ${runner.warm.seat}: replaced, or the pool is closed`);
  if (!(await deps.slots.keep(template.name, runnerName, template.maxRunners, executionId))) {
    // Jobs come first: the seat closes, and reopens when a VM of the template is deleted.
    await deps.warmPools.close(runnerName);
    return skip(`template ${template.name} has no free runner slot for a warm runner`);
  }
  return { ...timingOf(template, template.warmPool.maxIdleAgeSeconds), reason: `warm runner for seat ${runner.warm.seat}`, runnerName };
}
