import { z } from 'zod';
import type { InstanceInfo } from '../compute/compute.ts';
import { insertWithFallback } from '../compute/insert-with-fallback.ts';
import { requestIdFor } from '../compute/request-id.ts';
import type { RunnerTemplate } from '../config/types.ts';
import { RunnerError } from '../errors.ts';
import type { RunnerRelease } from '../github/runner-release.ts';
import { describeScope } from '../github/scope.ts';
import { findTemplate, managedByLabel, runnerScopeOf, type StepDeps } from './step-deps.ts';
import { parseInput, runnerFields, runnerName } from './step-input.ts';
import { emitMetric } from '../metrics/emit-metric.ts';

const inputSchema = z.object({
  ...runnerFields,
  templateName: z.string().min(1),
  runnerName,
  sealedJitConfig: z.string().min(1),
  callbackUrl: z.string().url(),
  executionId: z.string().min(1),
  runId: z.number().int().optional(),
});
type CreateVmInput = z.infer<typeof inputSchema>;

export interface CreateVmResult {
  /** `owned_by_other`: a VM of this name belongs to another execution; this one must not touch it. */
  readonly status: 'created' | 'exists' | 'owned_by_other';
  readonly runnerName: string;
  readonly zone: string;
  readonly spot: boolean;
}

/**
 * Compute keeps a requestId for an hour and answers a repeat with the first operation, stockout
 * included. A new id each minute lets a capacity retry really try again, while a call retried
 * within the minute (a lost response) still cannot make a second VM; findInstance covers the rest.
 */
const requestIdRoundMs = 60_000;

/**
 * Time for the VM to boot and register, on top of the idle timeout and the job's maximum; also the
 * startup script's boot deadline, so a boot that hangs ends well before maxRunDuration.
 */
export const bootGraceSeconds = 10 * 60;

/** GCE label values: lowercase letters, digits, `_` and `-`, at most 63 characters. */
export function labelValue(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 63);
}

/** Whether the VM was made by this execution (its `execution` label), rather than by another run of the same runner. */
export function madeBy(instance: InstanceInfo, executionId: string): boolean {
  return instance.labels['execution'] === labelValue(executionId);
}

function ownership(instance: InstanceInfo, input: CreateVmInput): CreateVmResult {
  return { status: madeBy(instance, input.executionId) ? 'exists' : 'owned_by_other', runnerName: input.runnerName, zone: instance.zone, spot: instance.spot };
}

/**
 * Spot first when the template asks for it, then on-demand where the template allows; on-demand
 * only while spot is paused for the template or when this run was re-run after a preemption.
 */
async function provisioningOrder(template: RunnerTemplate, job: CreateVmInput, deps: StepDeps): Promise<boolean[]> {
  if (!template.spot) return [false];
  const avoidSpot = (await deps.spot.isPaused(template.name, deps.clock.now())) || (job.runId !== undefined && (await deps.spot.wasRerunAfterPreemption(job.runId, deps.clock.now())));
  if (avoidSpot) return [false];
  return template.spotFallbackToOnDemand ? [true, false] : [true];
}

/**
 * The runner version the VM installs and the SHA-256 of its tarball per architecture (the VM picks
 * the one of its own `uname -m`). Without a release, the VM uses the runner baked into its image.
 */
export function runnerMetadata(release: RunnerRelease | null): Record<string, string> {
  if (release === null) return {};
  const checksums = Object.entries(release.sha256).map(([arch, sha]) => [`runner-sha256-${arch}`, sha] as const);
  return { 'runner-version': release.version, ...Object.fromEntries(checksums) };
}

/** How long the runner waits for a job: a warm runner up to its pool's maximum idle age. */
export function idleSecondsOf(runner: { warm?: unknown }, template: RunnerTemplate): number {
  return runner.warm !== undefined && template.warmPool ? template.warmPool.maxIdleAgeSeconds : template.idleTimeoutSeconds;
}

/**
 * Creates the runner VM, trying the template's zones in order on stockout or quota. Idempotent: an
 * instance of this name anywhere in the template's zones is reported instead of made again.
 */
export async function createVm(input: unknown, deps: StepDeps): Promise<CreateVmResult> {
  const job = parseInput(inputSchema, input);
  const template = findTemplate(deps.templates, job.templateName);
  const existing = await deps.compute.findInstance(job.runnerName, template.zones);
  if (existing) return ownership(existing, job);
  const jitConfig = deps.sealer.unseal(job.sealedJitConfig, job.runnerName);
  const runner = runnerMetadata(await deps.runnerRelease.current(job.installationId));
  const request = {
    name: job.runnerName,
    template,
    labels: {
      ...managedByLabel,
      template: template.name,
      ...(job.warm === undefined ? { 'job-id': String(job.jobId), 'run-attempt': String(job.runAttempt) } : { 'warm-seat': String(job.warm.seat) }),
      execution: labelValue(job.executionId),
      // Cost labels: billing exports break costs down by owner, repository and template.
      owner: labelValue(job.owner),
      ...(job.repo === undefined ? {} : { repository: labelValue(job.repo) }),
    },
    metadata: {
      'startup-script': deps.startupScript,
      'jit-config': jitConfig,
      'callback-url': job.callbackUrl,
      'idle-timeout': String(idleSecondsOf(job, template)),
      // startup.sh powers the VM off if its runner has not started by then.
      'boot-deadline': String(bootGraceSeconds),
      // Where the runner is registered, for the reaper: labels cannot hold a repository's name.
      'runner-scope': describeScope(runnerScopeOf(job, template)),
      'installation-id': String(job.installationId),
      ...runner,
    },
    maxRunDurationSeconds: idleSecondsOf(job, template) + template.maxRunDurationSeconds + bootGraceSeconds,
  };
  const insert = await insertWithFallback(deps.compute, request, {
    spotOrder: await provisioningOrder(template, job, deps),
    requestId: (zone, spot) => requestIdFor(job.runnerName, zone, spot, Math.floor(deps.clock.now() / requestIdRoundMs)),
    onRefused: (zone, spot, error) => {
      deps.log.warn({ runnerName: job.runnerName, zone, spot, reason: error.message }, 'no capacity in zone, trying the next');
      emitMetric(deps.log, 'zone_refused', { template: template.name, spot, zone, cause: /quota/i.test(error.message) ? 'quota' : 'stockout' });
    },
  });
  if ('placed' in insert) {
    const { zone, spot, outcome } = insert.placed;
    if (outcome === 'exists') {
      const instance = await deps.compute.getInstance(job.runnerName, zone);
      if (instance) return ownership(instance, job);
    }
    deps.log.info({ runnerName: job.runnerName, zone, spot, jobId: job.jobId, executionId: job.executionId }, 'runner VM created');
    return { status: 'created', runnerName: job.runnerName, zone, spot };
  }
  // Stockouts usually clear within minutes: the workflow asks again in one.
  throw new RunnerError('capacity', `no capacity for ${job.runnerName}: ${insert.refusals.join('; ')}`, { retryAfterSeconds: 60 });
}
