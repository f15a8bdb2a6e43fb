import type { InstanceInfo } from '../compute/compute.ts';
import type { Log } from '../log/logger.ts';
import type { WorkflowJobEvent } from '../queue/job-event.ts';
import { emitMetric, secondsBetween } from './emit-metric.ts';

/** A queued job's execution started: how long it waited since GitHub queued it. */
export function emitAdmitted(log: Log, event: WorkflowJobEvent, nowMs: number): void {
  const waitSeconds = secondsBetween(event.createdAt, nowMs);
  if (event.templateName === null || waitSeconds === null) return;
  emitMetric(log, 'job_admitted', { template: event.templateName, waitSeconds, jobId: event.jobId });
}

/**
 * A job started on, or finished on, a runner VM of ours (the event was handed to that VM's execution).
 * Queue time and job duration are GitHub's own timestamps; boot time runs from the VM's creation.
 */
export function emitRunnerEvent(log: Log, event: WorkflowJobEvent, vm: InstanceInfo, template: string, nowMs: number): void {
  const runnerName = vm.name;
  if (event.action === 'in_progress') {
    const queueSeconds = secondsBetween(event.createdAt, event.startedAt ?? nowMs);
    const bootSeconds = secondsBetween(vm.createdAt, nowMs);
    if (queueSeconds === null || bootSeconds === null) return;
    emitMetric(log, 'job_started', { template, spot: vm.spot, queueSeconds, bootSeconds, runnerName, jobId: event.jobId });
  } else if (event.action === 'completed') {
    const durationSeconds = secondsBetween(event.startedAt, event.completedAt ?? nowMs);
    if (durationSeconds === null) return;
    emitMetric(log, 'job_completed', { template, conclusion: event.conclusion ?? 'unknown', durationSeconds, runnerName, jobId: event.jobId });
  }
}
