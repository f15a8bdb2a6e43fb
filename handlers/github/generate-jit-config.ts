import { RunnerError } from '../errors.ts';
import type { Log } from '../log/logger.ts';
import type { JitConfig, JitRequest, RunnerScope } from './github.ts';
import type { InstallationCall } from './installation-call.ts';
import type { RunnerWire } from './runners.ts';
import { deleteRunner, findRunnerByName } from './runners.ts';
import { describeScope, runnersRoute } from './scope.ts';

interface JitWire {
  readonly runner: RunnerWire;
  readonly encoded_jit_config: string;
}

/**
 * Mints a JIT runner config. A 409 means a runner of that name exists: a re-run of this step,
 * or an earlier call that GitHub honoured although it answered with an error. That runner never
 * got our config, so it is deleted and the mint tried exactly once more.
 */
export async function generateJitConfig(
  call: InstallationCall,
  log: Log,
  scope: RunnerScope,
  request: JitRequest,
): Promise<JitConfig> {
  try {
    return await mint(call, scope, request);
  } catch (error) {
    if (!(error instanceof RunnerError && error.kind === 'conflict')) throw error;
  }
  const stale = await findRunnerByName(call, scope, request.name);
  const fields = { runnerName: request.name, scope: describeScope(scope), staleRunnerId: stale?.id };
  log.warn(fields, 'a runner of this name already exists: deleting it and minting again');
  if (stale !== null) await deleteRunner(call, scope, stale.id);
  return mint(call, scope, request);
}

async function mint(call: InstallationCall, scope: RunnerScope, request: JitRequest): Promise<JitConfig> {
  const { route, params } = runnersRoute('POST', scope, '/generate-jitconfig');
  const body: Record<string, unknown> = {
    name: request.name,
    runner_group_id: request.runnerGroupId,
    labels: [...request.labels],
  };
  if (request.workFolder !== undefined) body['work_folder'] = request.workFolder;
  const { data } = await call<JitWire>(scope.installationId, route, { params: { ...params, ...body } });
  return { runnerId: data.runner.id, encodedJitConfig: data.encoded_jit_config };
}
