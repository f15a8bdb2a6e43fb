import type { Execution, StepEntry } from '../../workflows/engine/index.ts';
import type { RecordedEvent } from '../metrics/metric-store.ts';
import { runnerNameFor } from '../runner-name.ts';

/** The moments of one job's life, ms since the epoch; absent = not (yet) reached or not known. */
export interface JobTimeline {
  readonly executionId: string;
  readonly state: Execution['state'];
  readonly jobId: number | null;
  readonly templateName: string | null;
  readonly runnerName: string | null;
  readonly points: Partial<Record<TimelinePoint, number>>;
  /** Where the last bar ends: the execution's end, or now while it runs. */
  readonly end: number;
}

export const timelinePoints = ['queued', 'admitted', 'vmCreated', 'jobStarted', 'jobDone', 'vmDeleted'] as const;
export type TimelinePoint = (typeof timelinePoints)[number];

interface JobArgument {
  readonly jobId?: number;
  readonly runAttempt?: number;
  readonly templateName?: string;
  readonly createdAt?: string | null;
}

function parseArgument(text: string | undefined): JobArgument {
  try {
    return text ? (JSON.parse(text) as JobArgument) : {};
  } catch {
    return {};
  }
}

/** When the first successful entry of a `main` step ended. */
function stepDone(entries: readonly StepEntry[], ...steps: string[]): number | undefined {
  const entry = entries.find((candidate) => candidate.routine === 'main' && steps.includes(candidate.step) && candidate.state === 'STATE_SUCCEEDED');
  return entry ? Date.parse(entry.updateTime) : undefined;
}

/**
 * One execution's timeline: GitHub's queue time (the job event's `created_at`), the execution's
 * start, its create/delete steps from the engine's step entries, and the job's start and end from the
 * metric events the dispatcher logged for the execution's runner.
 */
export function jobTimeline(execution: Execution, entries: readonly StepEntry[], events: readonly RecordedEvent[], now: number): JobTimeline {
  const job = parseArgument(execution.argument);
  const runnerName = job.templateName && job.jobId !== undefined ? runnerNameFor(job.templateName, job.jobId, job.runAttempt ?? 1) : null;
  const [started, end] = [Date.parse(execution.startTime), execution.endTime ? Date.parse(execution.endTime) : now];
  // A re-run uses the same runner name: only the events within this execution's life are its own.
  const eventAt = (metric: string) => events.find((event) => event.fields['metric'] === metric && event.fields['runnerName'] === runnerName && event.at >= started && event.at <= end)?.at;
  const queued = job.createdAt ? Date.parse(job.createdAt) : Number.NaN;
  const points: Partial<Record<TimelinePoint, number>> = {
    ...(Number.isNaN(queued) ? {} : { queued }),
    admitted: started,
  };
  const found: Partial<Record<TimelinePoint, number | undefined>> = {
    vmCreated: stepDone(entries, 'create_vm'),
    jobStarted: runnerName ? eventAt('job_started') : undefined,
    jobDone: runnerName ? eventAt('job_completed') : undefined,
    // Only a VM that existed was deleted: delete_vm_after_failure also runs when mint-token failed.
    vmDeleted: (runnerName ? eventAt('vm_deleted') : undefined) ?? (stepDone(entries, 'create_vm') === undefined ? undefined : stepDone(entries, 'delete_vm', 'delete_vm_after_failure')),
  };
  for (const [point, at] of Object.entries(found)) if (at !== undefined) points[point as TimelinePoint] = at;
  return {
    executionId: execution.name.split('/').pop()!,
    state: execution.state,
    jobId: job.jobId ?? null,
    templateName: job.templateName ?? null,
    runnerName,
    points,
    end,
  };
}
