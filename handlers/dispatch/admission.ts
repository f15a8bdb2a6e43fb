import type { Compute } from '../compute/compute.ts';
import type { TemplatesConfig } from '../config/types.ts';
import { RunnerError } from '../errors.ts';
import type { Log } from '../log/logger.ts';
import type { WorkflowJobEvent } from '../queue/job-event.ts';
import { runnerNameFor } from '../runner-name.ts';
import { managedByLabel, templateVmsMaxAgeMs } from '../steps/step-deps.ts';

/** Runner names of the executions still running for a template (started, not yet ended). */
export interface ActiveRuns {
  runnerNames(templateName: string): Promise<ReadonlySet<string>>;
}

export interface AdmissionDeps {
  readonly compute: Compute;
  readonly activeRuns: ActiveRuns;
  readonly templates: TemplatesConfig;
  readonly log: Log;
  /** How soon a job over the cap asks again (default 5 s): short, so it starts soon after a slot frees. */
  readonly retryAfterSeconds?: number;
  readonly now?: () => number;
}

/**
 * A template found full stays full for this long without another count: with hundreds of jobs
 * waiting, each asking again would list the template's VMs and active runs every time.
 */
const fullVerdictMs = 250;

/**
 * Starts executions so that a template's `maxRunners` is never exceeded, also under bursts.
 * Admissions of one template run one at a time; each counts the template's VMs and the runs still
 * active (a run not yet at its VM holds a slot too) and starts the execution before the next one
 * counts, so two bursts cannot both see the last free slot. A job over the cap is refused with
 * `capacity` and the queue offers it again later; whether it is still queued on GitHub is checked
 * by the validate step once it is admitted.
 */
export function createAdmission(deps: AdmissionDeps) {
  const tails = new Map<string, Promise<unknown>>();
  const fullUntil = new Map<string, number>();
  const now = deps.now ?? Date.now;
  // The template's VMs, listed at most every few seconds rather than at every admission (which made
  // a burst O(jobs × fleet)). Every VM an execution makes is counted through its active run, so the
  // list is only there for VMs that outlive their run (being deleted, or a failed delete left for the
  // reaper): a list a few seconds old misses at most those left in the last few seconds, for as long.
  const liveVms = (templateName: string) => deps.compute.listInstances({ ...managedByLabel, template: templateName }, { metadata: false, maxAgeMs: templateVmsMaxAgeMs });
  const full = (templateName: string, taken: number, maxRunners: number) =>
    new RunnerError('capacity', `template ${templateName} has ${taken} of ${maxRunners} runners`, { retryAfterSeconds: deps.retryAfterSeconds ?? 5 });
  const admitOne = async (event: WorkflowJobEvent, start: () => Promise<string>): Promise<string> => {
    const template = deps.templates.templates.find((candidate) => candidate.name === event.templateName);
    if (!template) throw new RunnerError('invalid', `no template named ${event.templateName}`);
    if ((fullUntil.get(template.name) ?? 0) > now()) throw full(template.name, template.maxRunners, template.maxRunners);
    const own = runnerNameFor(template.name, event.jobId, event.runAttempt);
    const [vms, runs] = await Promise.all([liveVms(template.name), deps.activeRuns.runnerNames(template.name)]);
    const taken = new Set([...vms.map((vm) => vm.name), ...runs]);
    taken.delete(own);
    if (taken.size >= template.maxRunners) {
      deps.log.info({ jobId: event.jobId, template: template.name, taken: taken.size, maxRunners: template.maxRunners }, 'template full: the job waits');
      fullUntil.set(template.name, now() + fullVerdictMs);
      throw full(template.name, taken.size, template.maxRunners);
    }
    return start();
  };
  return {
    /** Runs `start` once this job fits under its template's cap; throws `capacity` when it does not. */
    admit(event: WorkflowJobEvent, start: () => Promise<string>): Promise<string> {
      const key = event.templateName ?? '';
      const turn = (tails.get(key) ?? Promise.resolve()).then(() => admitOne(event, start));
      const tail = turn.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => tails.get(key) === tail && tails.delete(key));
      return turn;
    },
  };
}

export type Admission = ReturnType<typeof createAdmission>;
