import { RunnerError } from '../errors.ts';
import { awaitZoneOperation, operationOf } from './await-zone-operation.ts';
import { buildInstanceResource } from './build-instance-resource.ts';
import { classifyComputeError } from './classify-compute-error.ts';
import type { InsertOutcome, InstanceRequest } from './compute.ts';
import type { ComputeContext } from './compute-context.ts';
import { withDeadline } from './own-deadline.ts';

/**
 * Inserts the VM and awaits its zone operation. An instance of that name already in the zone is
 * `exists` (a re-run of the step); every failure is a classified `RunnerError`.
 */
export async function insertInstance(context: ComputeContext, request: InstanceRequest): Promise<InsertOutcome> {
  const { name, zone } = request;
  const what = `insert ${name} in ${zone}`;
  const log = context.log.child({ runnerName: name, zone, spot: request.spot });
  try {
    const [operation] = await withDeadline(context.timings.callTimeoutMs, what, (options) =>
      context.instances.insert(
        { project: context.project, zone, requestId: request.requestId, instanceResource: buildInstanceResource(request, context.project) },
        options,
      ),
    );
    await awaitZoneOperation(context, zone, operationOf(operation), what);
  } catch (error) {
    const classified = error instanceof RunnerError ? error : classifyComputeError(error, what);
    if (classified.kind === 'conflict') {
      log.info('instance already exists');
      return 'exists';
    }
    log.warn({ kind: classified.kind, error: classified }, 'insert failed');
    throw classified;
  }
  log.info('instance created');
  return 'created';
}
