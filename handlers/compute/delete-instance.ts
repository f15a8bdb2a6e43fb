import { RunnerError } from '../errors.ts';
import { awaitZoneOperation, operationOf } from './await-zone-operation.ts';
import { classifyComputeError, notReadyReasons } from './classify-compute-error.ts';
import { computeErrorFacts } from './compute-error-facts.ts';
import type { DeleteOutcome } from './compute.ts';
import type { ComputeContext } from './compute-context.ts';
import { withDeadline } from './own-deadline.ts';

/**
 * Deletes the VM and awaits the operation. Gone already is `absent`. A delete racing another
 * operation on the VM (its insert still running, a preemption) is answered `resourceNotReady`:
 * retried after each of `notReadyRetryDelaysMs`, then `unavailable` for the workflow to retry.
 */
export async function deleteInstance(context: ComputeContext, name: string, zone: string): Promise<DeleteOutcome> {
  const what = `delete ${name} in ${zone}`;
  const delays = context.timings.notReadyRetryDelaysMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const outcome = await deleteOnce(context, name, zone, what);
      context.log.info({ runnerName: name, zone, outcome }, 'instance delete done');
      return outcome;
    } catch (error) {
      const delay = delays[attempt];
      if (!isNotReady(error) || delay === undefined) throw error instanceof RunnerError ? error : classifyComputeError(error, what);
      context.log.debug({ runnerName: name, zone, attempt, delay }, 'instance not ready for delete, retrying');
      await context.sleep(delay);
    }
  }
}

async function deleteOnce(context: ComputeContext, name: string, zone: string, what: string): Promise<DeleteOutcome> {
  let operation;
  try {
    [operation] = await withDeadline(context.timings.callTimeoutMs, what, (options) =>
      context.instances.delete({ project: context.project, zone, instance: name }, options),
    );
  } catch (error) {
    if (classifyComputeError(error, what).kind === 'not_found') return 'absent';
    throw error;
  }
  try {
    await awaitZoneOperation(context, zone, operationOf(operation), what);
  } catch (error) {
    // Another delete (the reaper, maxRunDuration) won the race: the VM is gone all the same.
    if (error instanceof RunnerError && error.kind === 'not_found') return 'absent';
    throw error;
  }
  return 'deleted';
}

function isNotReady(error: unknown): boolean {
  return computeErrorFacts(error).reasons.some((reason) => notReadyReasons.has(reason));
}
