import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';

/** Posts a signed delivery to the webhook, as GitHub would. */
export async function deliver(url: string, secret: string, payload: unknown, event = 'workflow_job'): Promise<{ status: number; body: unknown }> {
  const body = JSON.stringify(payload);
  const response = await fetch(`${url}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await sign(secret, body) },
    body,
  });
  return { status: response.status, body: await response.json() };
}
