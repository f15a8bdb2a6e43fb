import { clientOptionsForEndpoint } from '../handlers/cloud/client-options.ts';
import { createCloudWorkflowsExecutions, type CloudWorkflowsExecutions } from '../handlers/cloud/cloud-workflows-executions.ts';
import type { Log } from '../handlers/log/logger.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ExecutionsTarget {
  readonly executions: CloudWorkflowsExecutions;
  /** Where step entries can be read over HTTP (the embedded engine); null on Cloud Workflows. */
  readonly stepEntriesUrl: ((id: string) => string) | null;
}

/**
 * The same @google-cloud/workflows client serves both: the embedded engine speaks the Workflow
 * Executions v1 API at Google's paths, so only the endpoint differs. `WORKFLOW_ENGINE=cloud` →
 * Cloud Workflows with Application Default Credentials; otherwise the local `npm start` at ENGINE_URL.
 */
export function executionsTarget(env: Env, log: Log): ExecutionsTarget {
  if (env['WORKFLOW_ENGINE'] === 'cloud') {
    const [project, location, workflow] = [env['GOOGLE_CLOUD_PROJECT'], env['WORKFLOW_LOCATION'], env['WORKFLOW_NAME']];
    if (!project || !location || !workflow) throw new Error('WORKFLOW_ENGINE=cloud needs GOOGLE_CLOUD_PROJECT, WORKFLOW_LOCATION and WORKFLOW_NAME');
    return { executions: createCloudWorkflowsExecutions({ project, location, workflow, log }), stepEntriesUrl: null };
  }
  const url = (env['ENGINE_URL'] ?? env['APP_URL'] ?? `http://127.0.0.1:${env['PORT'] ?? '8080'}`).replace(/\/+$/, '');
  const project = env['GOOGLE_CLOUD_PROJECT'] ?? 'local-project';
  const parent = `projects/${project}/locations/local/workflows/runner`;
  return {
    executions: createCloudWorkflowsExecutions({ clientOptions: clientOptionsForEndpoint(url, 'ENGINE_URL'), project, location: 'local', workflow: 'runner', log }),
    stepEntriesUrl: (id) => `${url}/v1/${parent}/executions/${id}/stepEntries`,
  };
}
