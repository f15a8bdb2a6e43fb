import { z } from 'zod';
import { RunnerError } from '../errors.ts';
import { parseRunnerName, runnerNameFor } from '../runner-name.ts';
import { labelValue } from './create-vm.ts';
import { checkAccess } from '../webhook/check-access.ts';
import { findTemplate, managedByLabel, templateVmsMaxAgeMs, type StepDeps } from './step-deps.ts';
import { jobFields, parseInput } from './step-input.ts';

/** `executionId`: the asking execution; a VM of the job's name made by another one is left to it. */
const inputSchema = z.object({ ...jobFields, templateName: z.string().min(1), executionId: z.string().min(1).optional() });

export type ValidateResult =
  | { readonly proceed: false; readonly reason: string }
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
  const job = parseInput(inputSchema, input);
  const template = findTemplate(deps.templates, job.templateName);
  const fullName = `${job.owner}/${job.repo}`;
  const runnerName = runnerNameFor(template.name, job.jobId, job.runAttempt);
  const skip = async (reason: string): Promise<ValidateResult> => {
    // No VM will be made here: the slot admission took for this runner goes back at once, unless a
    // second execution of the same job is asking: the first one keeps it (validate said so), or its VM holds it.
    if (!(await deps.compute.findInstance(runnerName, template.zones))) await deps.slots.release(template.name, runnerName, { by: job.executionId });
    return { proceed: false, reason };
  };
  // Visibility was checked by the webhook; here only the owner and allowlist can have changed.
  const denied = checkAccess({ owner: job.owner, fullName, isPrivate: true }, deps.templates.access);
  if (denied) return skip(denied);
  const state = await deps.github.getJob({ installationId: job.installationId, owner: job.owner, repo: job.repo, jobId: job.jobId });
  if (state === null) return skip(`job ${job.jobId} no longer exists`);
  const tookAnothersRunner = state.runnerName !== null && state.runnerName !== runnerName && parseRunnerName(state.runnerName) !== null;
  // A job taken by a runner we made for another job leaves that other job without one: the VM
  // made here serves it (GitHub hands it to the first idle runner), so go on.
  if (state.status !== 'queued' && !tookAnothersRunner) return skip(`job ${job.jobId} is ${state.status}, no longer queued`);
  // A second execution for the same job (a task delivered twice) must not re-mint the runner that
  // the first one's VM is about to use: asked fresh, as the VM may be seconds old.
  const own = await deps.compute.findInstance(runnerName, template.zones);
  if (own && job.executionId !== undefined && own.labels['execution'] !== labelValue(job.executionId)) {
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
    proceed: true,
    reason: tookAnothersRunner ? `job ${job.jobId} ran on ${state.runnerName}, whose own job needs this VM` : `job ${job.jobId} is queued`,
    runnerName,
    templateName: template.name,
    idleTimeoutSeconds: template.idleTimeoutSeconds,
    maxRunDurationSeconds: template.maxRunDurationSeconds,
    vmCheckIntervalSeconds: template.vmCheckIntervalSeconds,
  };
}
