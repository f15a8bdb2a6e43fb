import type { Compute } from '../compute/compute.ts';
import type { TemplatesConfig } from '../config/types.ts';
import type { MetricStore } from '../metrics/metric-store.ts';
import { managedByLabel } from '../steps/step-deps.ts';
import type { EmbeddedEngine, Execution } from '../../workflows/engine/index.ts';
import { jobTimeline, type JobTimeline } from './job-timeline.ts';

export interface DashboardDeps {
  readonly engine: EmbeddedEngine;
  readonly compute: Compute;
  readonly templates: TemplatesConfig;
  readonly metrics: MetricStore;
  readonly now: () => number;
  /** The embedded engine's workflow id of runner.yaml. */
  readonly runnerWorkflowId: string;
}

export interface Failure {
  readonly executionId: string;
  readonly jobId: number | null;
  readonly templateName: string | null;
  readonly cause: string;
  readonly endTime: string | undefined;
}

export interface FleetView {
  readonly now: number;
  readonly active: { readonly executionId: string; readonly jobId: number | null; readonly step: string; readonly since: string }[];
  readonly timelines: JobTimeline[];
  readonly templates: { readonly name: string; readonly live: number; readonly maxRunners: number }[];
  readonly failures: Failure[];
  readonly executions: { readonly active: number; readonly succeeded: number; readonly failed: number; readonly cancelled: number };
}

/** Jobs drawn on the timeline: the latest, enough to fill a screen. */
const timelineJobs = 15;
const listedFailures = 10;

/**
 * What an execution failed with, in a line: the step's own message where the error is a step's HTTP
 * answer (`{"body":{"error":{"message":…}}}`), else the Workflows error's message.
 */
export function causeOf(execution: Execution): string {
  const payload = execution.error?.payload;
  if (!payload) return 'unknown';
  try {
    const error = JSON.parse(payload) as { message?: string; code?: number; body?: { error?: { kind?: string; message?: string } } };
    const inner = error.body?.error;
    if (inner?.message) return `${inner.kind ? `${inner.kind}: ` : ''}${inner.message}${error.code ? ` (HTTP ${error.code})` : ''}`;
    return error.message ?? payload;
  } catch {
    return payload;
  }
}

function jobOf(execution: Execution): { jobId: number | null; templateName: string | null } {
  try {
    const job = JSON.parse(execution.argument ?? '{}') as { jobId?: number; templateName?: string };
    return { jobId: job.jobId ?? null, templateName: job.templateName ?? null };
  } catch {
    return { jobId: null, templateName: null };
  }
}

/** Everything the page shows, read once per request from the engine, the VMs and the metrics. */
export async function readFleetView(deps: DashboardDeps): Promise<FleetView> {
  const now = deps.now();
  const executions = deps.engine.listExecutions(deps.runnerWorkflowId, 'FULL');
  const idOf = (execution: Execution) => execution.name.split('/').pop()!;
  const vms = await deps.compute.listInstances(managedByLabel, { metadata: false });
  const events = deps.metrics.events();
  return {
    now,
    active: executions
      .filter((execution) => execution.state === 'ACTIVE')
      .map((execution) => ({ executionId: idOf(execution), jobId: jobOf(execution).jobId, step: execution.status?.currentSteps.map((step) => step.step).join(' › ') || 'starting', since: execution.startTime })),
    timelines: executions.slice(0, timelineJobs).map((execution) => jobTimeline(execution, deps.engine.listStepEntries(execution.name) ?? [], events, now)),
    templates: deps.templates.templates.map((template) => ({
      name: template.name,
      live: vms.filter((vm) => vm.labels['template'] === template.name && !/^(STOPPING|TERMINATED)$/.test(vm.status)).length,
      maxRunners: template.maxRunners,
    })),
    failures: executions
      .filter((execution) => execution.state === 'FAILED')
      .slice(0, listedFailures)
      .map((execution) => ({ executionId: idOf(execution), ...jobOf(execution), cause: causeOf(execution), endTime: execution.endTime })),
    executions: {
      active: executions.filter((execution) => execution.state === 'ACTIVE').length,
      succeeded: executions.filter((execution) => execution.state === 'SUCCEEDED').length,
      failed: executions.filter((execution) => execution.state === 'FAILED').length,
      cancelled: executions.filter((execution) => execution.state === 'CANCELLED').length,
    },
  };
}
