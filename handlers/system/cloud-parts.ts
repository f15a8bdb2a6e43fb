import { createCloudTasksQueue } from '../cloud/cloud-tasks-queue.ts';
import { createCloudWorkflowsExecutions } from '../cloud/cloud-workflows-executions.ts';
import { createGoogleAuthHeaders } from '../cloud/google-auth-headers.ts';
import type { Compute } from '../compute/compute.ts';
import type { AppConfig } from '../config/types.ts';
import { activeRunsFromArguments } from '../dispatch/active-runs-from-arguments.ts';
import { createAdmission } from '../dispatch/admission.ts';
import type { AdmissionSlots } from '../state/admission-slots.ts';
import { dispatchRoute } from '../dispatch/dispatch-route.ts';
import type { LostRunnerEvents } from '../dispatch/lost-runner-events.ts';
import { cloudWorkflowsCallbackBase, createHttpCallbackSender } from '../dispatch/http-callback-sender.ts';
import type { Log } from '../log/logger.ts';
import type { ExecutionStates } from '../reaper/index.ts';
import type { CloudParts } from './build-routes.ts';
import type { WarmPools, WarmPoolsFactory } from '../warm/warm-pools.ts';

/**
 * On Google Cloud: the webhook enqueues to Cloud Tasks; Cloud Tasks calls `/dispatch` on the steps
 * service, which starts Cloud Workflows executions and posts runner events to their callbacks.
 */
export function startCloudParts(config: AppConfig, deps: { compute: Compute; log: Log; lostEvents: LostRunnerEvents; slots: AdmissionSlots; warmPools: WarmPoolsFactory; now: () => number }): CloudParts & { warmPools: WarmPools; close(): Promise<void> } {
  const engine = config.workflowEngine;
  if (engine.kind !== 'cloud' || config.stepsUrl === null) throw new Error('cloud parts need WORKFLOW_ENGINE=cloud and STEPS_URL');
  const queue =
    config.role === 'steps'
      ? null
      : createCloudTasksQueue({ queue: engine.tasksQueue, targetUrl: `${config.stepsUrl}/dispatch`, serviceAccountEmail: engine.tasksServiceAccount, log: deps.log });
  const executions = createCloudWorkflowsExecutions({ project: config.googleCloudProject, location: engine.location, workflow: engine.name, log: deps.log });
  const activeRuns = activeRunsFromArguments(() => executions.activeArguments());
  const executionStates: ExecutionStates = {
    state: async (id) => {
      try {
        const { state } = await executions.getExecution(id);
        return state === 'ACTIVE' || state === 'QUEUED' ? 'ACTIVE' : 'ENDED';
      } catch {
        return 'UNKNOWN'; // not found too: another deployment's execution, or past the 90-day retention
      }
    },
  };
  const callbacks = createHttpCallbackSender({
    endpoints: { base: cloudWorkflowsCallbackBase, location: engine.location, workflow: engine.name },
    authHeaders: createGoogleAuthHeaders(),
    executionStates,
  });
  // Admission takes runner slots in the shared state store (Firestore): exact across any number of steps instances.
  const warmPools = deps.warmPools({ executions, activeRuns });
  const admission = createAdmission({ slots: deps.slots, warmPools, templates: config.templates, log: deps.log });
  return {
    queue,
    executionStates,
    activeRuns,
    dispatch: dispatchRoute({ executions, admission, compute: deps.compute, callbacks, templates: config.templates, log: deps.log, lostEvents: deps.lostEvents, warmPools, now: deps.now }),
    warmPools,
    async close() {
      await Promise.all([queue?.close(), executions.close()]);
    },
  };
}
