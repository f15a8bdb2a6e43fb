import { z } from 'zod';
import { RunnerError } from '../errors.ts';
import { findTemplate, type StepDeps } from './step-deps.ts';
import { parseInput } from './step-input.ts';

const inputSchema = z.object({
  templateName: z.string().min(1),
  /** The job that ran on the lost VM (from its in_progress event). */
  installationId: z.number().int(),
  owner: z.string().min(1),
  repo: z.string().min(1),
  jobId: z.number().int(),
  runId: z.number().int(),
});

export interface RerunResult {
  readonly jobId: number;
  readonly rerun: boolean;
  readonly reason: string;
  /** True when this preemption paused spot for the template. */
  readonly spotPaused: boolean;
}

/**
 * After a spot VM was lost while its job ran: once GitHub has failed the job (it does so when the
 * runner stops answering), re-run it, once per workflow run; the new attempt gets an on-demand VM.
 * Until GitHub has finished the job this answers `busy`, which the workflow retries with backoff.
 */
export async function rerunPreemptedJob(input: unknown, deps: StepDeps): Promise<RerunResult> {
  const job = parseInput(inputSchema, input);
  const template = findTemplate(deps.templates, job.templateName);
  const state = await deps.github.getJob({ installationId: job.installationId, owner: job.owner, repo: job.repo, jobId: job.jobId });
  if (state === null) return { jobId: job.jobId, rerun: false, reason: 'job no longer exists', spotPaused: false };
  if (state.status !== 'completed') throw new RunnerError('busy', `job ${job.jobId} is ${state.status}: GitHub has not failed it yet`);
  if (state.conclusion === 'success' || state.conclusion === 'cancelled' || state.conclusion === 'skipped') {
    return { jobId: job.jobId, rerun: false, reason: `job ended ${state.conclusion}`, spotPaused: false };
  }
  const spotPaused = await deps.spot.recordPreemption(template.name, deps.clock.now());
  if (spotPaused) deps.log.warn({ template: template.name, pauseMinutes: deps.spot.policy.pauseMs / 60_000 }, 'repeated spot preemptions: spot paused for the template');
  if (!(await deps.spot.claimRerun(job.runId, deps.clock.now()))) return { jobId: job.jobId, rerun: false, reason: 'its run was already re-run after a preemption', spotPaused };
  await deps.github.rerunJob({ installationId: job.installationId, owner: job.owner, repo: job.repo, jobId: job.jobId });
  deps.log.info({ jobId: job.jobId, runId: job.runId, template: template.name }, 'preempted job re-run; its next attempt gets an on-demand VM');
  return { jobId: job.jobId, rerun: true, reason: `job ${job.jobId} ended ${state.conclusion} after its spot VM was preempted`, spotPaused };
}
