import { readFileSync } from 'node:fs';
import { createComputeClient, type ComputeClient } from '../../handlers/compute/create-compute-client.ts';
import { loadConfig, type Env, type ReadFile } from '../../handlers/config/load-config.ts';
import type { TemplatesConfig } from '../../handlers/config/types.ts';
import { createGitHubClient } from '../../handlers/github/create-github-client.ts';
import type { GitHub } from '../../handlers/github/github.ts';
import type { Log } from '../../handlers/log/logger.ts';

/** What the hands-on commands work on: the service's own clients, from the service's own configuration. */
export interface HandsOnTarget {
  readonly templates: TemplatesConfig;
  readonly compute: ComputeClient;
  /** Throws, naming the variables to set, when no GitHub App is configured. */
  github(): GitHub;
  readonly startupScript: string;
  close(): Promise<void>;
}

/**
 * The configuration `npm start` and the Cloud Run services read (`loadConfig`): GOOGLE_CLOUD_PROJECT
 * (Application Default Credentials) or COMPUTE_API_ENDPOINT (a simulator); GITHUB_APP_ID,
 * GITHUB_APP_PRIVATE_KEY(_FILE) and GITHUB_API_URL; RUNNER_TEMPLATES(_YAML). Read as the steps
 * service, embedded: the CLI needs neither the webhook secret nor the Workflows settings.
 */
export function handsOnTarget(env: Env, log: Log, readFile: ReadFile = (path) => readFileSync(path, 'utf8')): HandsOnTarget {
  const config = loadConfig({ ...env, SERVICE_ROLE: 'steps', WORKFLOW_ENGINE: 'embedded' }, readFile);
  if (config.computeApiEndpoint === null && !config.useRealCompute) {
    throw new Error('no Compute Engine: set GOOGLE_CLOUD_PROJECT (Google Cloud, with Application Default Credentials) or COMPUTE_API_ENDPOINT (a simulator, e.g. the one `npm start` prints)');
  }
  const compute = createComputeClient({ project: config.googleCloudProject, apiEndpoint: config.computeApiEndpoint, log });
  const app = config.github;
  let github: GitHub | null = null;
  return {
    templates: config.templates,
    compute,
    github() {
      if (app?.appId == null || app.privateKey == null) throw new Error('no GitHub App: set GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE (and GITHUB_API_URL off github.com)');
      github ??= createGitHubClient({ appId: app.appId, privateKey: app.privateKey, apiUrl: app.apiUrl, log });
      return github;
    },
    startupScript: readFileSync(new URL('../../startup/startup.sh', import.meta.url), 'utf8'),
    close: () => compute.close(),
  };
}
