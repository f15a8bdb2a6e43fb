import type { protos } from '@google-cloud/compute';
import { RunnerError } from '../errors.ts';
import { classifyComputeError } from './classify-compute-error.ts';
import type { ComputeContext } from './compute-context.ts';
import { withDeadline } from './own-deadline.ts';
import { operationErrorOf } from './operation-error.ts';

type Operation = protos.google.cloud.compute.v1.IOperation;

/**
 * The compute.v1 Operation an insert or delete answered. The library types `latestResponse` as a
 * google.longrunning Operation, but for Compute it holds the compute.v1 Operation of the response
 * (`.promise()` is not supported on these calls).
 */
export function operationOf(started: { readonly latestResponse?: unknown }): Operation {
  return (started.latestResponse ?? {}) as Operation;
}

/**
 * Waits until a zone operation is DONE and throws its error, classified. `zoneOperations.wait`
 * blocks on the server for up to about two minutes but may return earlier, still RUNNING: loop.
 * Stockout and asynchronous quota errors only show up here, in `error.errors[].code`.
 */
export async function awaitZoneOperation(context: ComputeContext, zone: string, first: Operation, what: string): Promise<void> {
  const deadline = context.clock.now() + context.timings.operationTimeoutMs;
  const notDone = (name: string | null | undefined): RunnerError =>
    new RunnerError('unavailable', `${what}: operation ${name ?? '?'} not done after ${context.timings.operationTimeoutMs} ms`);
  let operation = first;
  while (operation.status !== 'DONE') {
    const remaining = deadline - context.clock.now();
    const name = operation.name;
    if (remaining <= 0) throw notDone(name);
    if (!name) throw new RunnerError('fatal', `${what}: the operation has no name`);
    try {
      [operation] = await withDeadline(remaining, `${what}: waiting for operation ${name}`, (options) =>
        context.operations.wait({ project: context.project, zone, operation: name }, options),
      );
    } catch (error) {
      // Our own deadline cut the wait short: report that, not the library's DEADLINE_EXCEEDED.
      if (context.clock.now() >= deadline) throw notDone(name);
      throw classifyComputeError(error, `${what}: waiting for operation ${name}`);
    }
    if (operation.status !== 'DONE') await context.sleep(context.timings.operationPollDelayMs);
  }
  const failure = operationErrorOf(operation);
  if (failure) throw classifyComputeError(failure, what);
}
