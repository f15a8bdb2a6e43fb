import type { TemplatesConfig } from '../config/types.ts';
import { RunnerError } from '../errors.ts';
import type { Log } from '../log/logger.ts';
import type { ApiService, SkipReason } from './definitions.ts';
import { emitMetric } from './emit-metric.ts';

type Fields = Readonly<Record<string, unknown>>;

const asFields = (value: unknown): Fields => (typeof value === 'object' && value !== null ? (value as Fields) : {});

/** validate's `reason` sentences, reduced to a label of few values. */
export function skipReasonOf(reason: string): SkipReason {
  if (/belongs to another execution/.test(reason)) return 'owned_by_other';
  if (/no longer exists/.test(reason)) return 'job_gone';
  if (/no longer queued/.test(reason)) return 'not_queued';
  return 'access_denied';
}

/** Which service a failure came from, by the context the classifiers put first in their messages. */
export function serviceOf(message: string): ApiService {
  if (message.startsWith('GitHub ')) return 'github';
  if (/^(insert|delete|get|list) /.test(message) || message.includes('waiting for operation')) return 'compute';
  if (message.startsWith('Workflows ')) return 'workflows';
  if (message.startsWith('Cloud Tasks ')) return 'tasks';
  return 'other';
}

/** Removals the reaper reports, by why it removed them. */
function reaperReason(why: string): string {
  if (/past its maximum/.test(why)) return 'past_maximum_age';
  if (/has ended/.test(why)) return 'execution_ended';
  return 'stale';
}

/**
 * The metric events a step's result says happened: a skipped job (validate), a VM created and how
 * (create-vm, with the step's duration), what the reaper removed or redelivered. Called by the step
 * adapter after each step, so the steps themselves stay free of metrics.
 */
export function emitStepMetrics(step: string, input: unknown, output: unknown, ms: number, deps: { readonly log: Log; readonly templates: TemplatesConfig }): void {
  const body = asFields(input);
  const result = asFields(output);
  const templateName = String(body['templateName'] ?? '');
  if (step === 'validate' && result['proceed'] === false) {
    emitMetric(deps.log, 'job_skipped', { template: templateName, reason: skipReasonOf(String(result['reason'])), jobId: Number(body['jobId']) });
  } else if (step === 'create-vm' && result['status'] === 'created') {
    const template = deps.templates.templates.find((candidate) => candidate.name === templateName);
    const [zone, spot] = [String(result['zone']), result['spot'] === true];
    emitMetric(deps.log, 'vm_created', { template: templateName, spot, zone, createSeconds: ms / 1000, runnerName: String(result['runnerName']) });
    if (template && (zone !== template.zones[0] || (template.spot && !spot))) emitMetric(deps.log, 'zone_fallback', { template: templateName, spot, zone });
  } else if (step === 'reap-vms' || step === 'remove-stale-runners') {
    const action = step === 'reap-vms' ? 'vm_removed' : 'runner_removed';
    for (const removed of (result['removed'] ?? []) as Fields[]) emitMetric(deps.log, 'reaper_action', { action, reason: reaperReason(String(removed['why'])) });
  } else if (step === 'redeliver-failed') {
    for (const _ of (result['redelivered'] ?? []) as unknown[]) emitMetric(deps.log, 'reaper_action', { action: 'delivery_redelivered', reason: 'delivery_failed' });
  }
  // The reaper ends a run early on a rate limit rather than failing (handlers/reaper/run-report.ts).
  const stopped = asFields(result['stoppedEarly']);
  if (typeof stopped['reason'] === 'string') {
    const message = stopped['reason'].replace(/^rate limited: /, '');
    emitMetric(deps.log, 'rate_limited', { service: serviceOf(message), waitSeconds: Number(stopped['retryAfterSeconds'] ?? 0), step });
  }
}

/** A failed step: an outward API error by service and kind, and a rate-limit wait when told to wait. */
export function emitStepFailure(step: string, error: unknown, log: Log): void {
  if (!(error instanceof RunnerError)) return void emitMetric(log, 'api_error', { service: 'other', kind: 'internal', step });
  const service = serviceOf(error.message);
  if (error.kind === 'rate_limited') emitMetric(log, 'rate_limited', { service, waitSeconds: error.retryAfterSeconds ?? 0, step });
  // capacity (stockout, template full) and busy are the system working as meant; they have metrics of their own.
  if (error.kind === 'capacity' || error.kind === 'busy' || (service === 'other' && error.kind !== 'fatal' && error.kind !== 'unavailable')) return;
  emitMetric(log, 'api_error', { service, kind: error.kind, step });
}
