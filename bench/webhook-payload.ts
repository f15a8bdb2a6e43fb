import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import type { LoadRequest } from './load-client.ts';

type Example = { action?: string; workflow_job?: { id: number; labels: string[] }; repository?: { private: boolean } } & Record<string, unknown>;

/**
 * The `workflow_job.queued` example of @octokit/webhooks-examples whose job runs on
 * `[self-hosted, k8s]` (11.4 KB of JSON, with an installation): GitHub's own shape and size.
 */
export function queuedExample(): Example {
  const definitions = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Example[] }[];
  const example = definitions
    .find((definition) => definition.name === 'workflow_job')
    ?.examples.find((candidate) => candidate.action === 'queued' && candidate.workflow_job?.labels.includes('k8s'));
  if (!example) throw new Error('@octokit/webhooks-examples has no workflow_job.queued example for [self-hosted, k8s]');
  return structuredClone(example);
}

/** A delivery as GitHub signs it: X-Hub-Signature-256 is the HMAC-SHA256 of the exact body bytes. */
export function signedDelivery(secret: string, payload: unknown): LoadRequest {
  const body = Buffer.from(JSON.stringify(payload));
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/bench',
      'x-github-event': 'workflow_job',
      'x-github-hook-id': '500001',
      'x-hub-signature-256': signature,
    },
  };
}

/** The example, served by the bench template (`[self-hosted, linux]`, private repository), for job `jobId`. */
export function servedPayload(jobId: number): Example {
  const payload = queuedExample();
  payload.workflow_job = { ...payload.workflow_job!, id: jobId, labels: ['self-hosted', 'linux'] };
  payload.repository = { ...payload.repository!, private: true };
  return payload;
}
