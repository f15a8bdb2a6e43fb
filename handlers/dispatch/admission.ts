import type { TemplatesConfig } from '../config/types.ts';
import { RunnerError } from '../errors.ts';
import type { Log } from '../log/logger.ts';
import type { WorkflowJobEvent } from '../queue/job-event.ts';
import { runnerNameFor } from '../runner-name.ts';
import type { AdmissionSlots } from '../state/admission-slots.ts';
import type { WarmPools } from '../warm/warm-pools.ts';

/** Runner names of the executions still running for a template (started, not yet ended). */
export interface ActiveRuns {
  runnerNames(templateName: string): Promise<ReadonlySet<string>>;
}

export interface AdmissionDeps {
  readonly slots: AdmissionSlots;
  /** A job that claims an idle warm runner is admitted without a slot: that runner holds one. Absent: no pools. */
  readonly warmPools?: WarmPools;
  readonly templates: TemplatesConfig;
  readonly log: Log;
  /** How soon a job over the cap asks again (default 5 s): short, so it starts soon after a slot frees. */
  readonly retryAfterSeconds?: number;
  readonly now?: () => number;
}

/**
 * A template found full stays full for this long in this instance without asking the store again:
 * with hundreds of jobs waiting, each would otherwise read the template's slots every time.
 */
const fullVerdictMs = 250;

/**
 * Starts executions so that a template's `maxRunners` is never exceeded, by any number of steps
 * instances: a job is admitted once it holds one of the template's slots in the shared state
 * store (a transaction takes one only while fewer than `maxRunners` are held). The slot is the
 * runner name's, so a task delivered twice finds it held and starts the same execution again (the
 * task name is the request id). It is released by delete-vm, or by the reaper once neither the VM
 * nor an execution of that runner remains. A job over the cap is refused with `capacity` and the
 * queue offers it again later; whether it is still queued on GitHub is checked by validate.
 */
export function createAdmission(deps: AdmissionDeps) {
  const fullUntil = new Map<string, number>();
  const now = deps.now ?? Date.now;
  const full = (templateName: string, taken: number, maxRunners: number) =>
    new RunnerError('capacity', `template ${templateName} has ${taken} of ${maxRunners} runners`, { retryAfterSeconds: deps.retryAfterSeconds ?? 5 });
  return {
    /** Runs `start` once this job holds a slot of its template; throws `capacity` when none is free. */
    async admit(event: WorkflowJobEvent, start: () => Promise<string>): Promise<string> {
      const template = deps.templates.templates.find((candidate) => candidate.name === event.templateName);
      if (!template) throw new RunnerError('invalid', `no template named ${event.templateName}`);
      // Its execution waits for that runner to take the job (validate), or makes a VM once the claim runs out.
      if (deps.warmPools && (await deps.warmPools.claim(template.name, event.jobId))) {
        deps.log.info({ jobId: event.jobId, template: template.name }, 'job claimed a warm runner');
        return start();
      }
      if ((fullUntil.get(template.name) ?? 0) > now()) throw full(template.name, template.maxRunners, template.maxRunners);
      const runnerName = runnerNameFor(template.name, event.jobId, event.runAttempt);
      const verdict = await deps.slots.take(template.name, runnerName, template.maxRunners);
      if (!verdict.taken) {
        deps.log.info({ jobId: event.jobId, template: template.name, taken: verdict.count, maxRunners: template.maxRunners }, 'template full: the job waits');
        fullUntil.set(template.name, now() + fullVerdictMs);
        throw full(template.name, verdict.count, template.maxRunners);
      }
      // A failed start keeps the slot: the queue retries this task, which finds the slot held.
      return start();
    },
  };
}

export type Admission = ReturnType<typeof createAdmission>;
