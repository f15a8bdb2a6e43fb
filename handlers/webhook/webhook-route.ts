import { verify } from '@octokit/webhooks-methods';
import express, { type Request, type Response, type Router } from 'express';
import type { TemplatesConfig } from '../config/types.ts';
import type { Log } from '../log/logger.ts';
import type { JobQueue } from '../queue/job-event.ts';
import { classifyWorkflowJob, MalformedPayloadError, type Classification } from './classify-workflow-job.ts';

export interface WebhookDeps {
  readonly webhookSecret: string;
  readonly templates: TemplatesConfig;
  readonly queue: JobQueue;
  readonly log: Log;
}

/** GitHub caps deliveries at 25 MB, but a workflow_job payload is a few KB: 1 MiB is generous. */
const maxBodyBytes = 1024 * 1024;

function reply(response: Response, status: number, decision: string, reason: string): void {
  response.status(status).json({ decision, reason });
}

async function signatureIsValid(secret: string, body: string, signature: string): Promise<boolean> {
  try {
    return await verify(secret, body, signature);
  } catch {
    return false;
  }
}

async function decide(deps: WebhookDeps, event: string, deliveryId: string, body: string): Promise<[number, Classification]> {
  if (event === 'ping') return [200, { decision: 'ignore', reason: 'pong' }];
  if (event !== 'workflow_job') return [200, { decision: 'ignore', reason: `event ${event} is not handled` }];
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    throw new MalformedPayloadError('body is not JSON');
  }
  const classification = classifyWorkflowJob(payload, deliveryId, deps.templates);
  if (classification.decision !== 'enqueue') return [200, classification];
  const outcome = await deps.queue.enqueue(classification.task);
  return outcome === 'duplicate' ? [200, { decision: 'ignore', reason: `duplicate of task ${classification.task.name}` }] : [202, classification];
}

/** `POST /webhook`: verify, classify, hand over durably, answer within milliseconds. */
export function webhookRoute(deps: WebhookDeps): Router {
  const router = express.Router();
  router.post('/webhook', express.raw({ type: () => true, limit: maxBodyBytes }), async (request: Request, response: Response) => {
    const raw = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
    const signature = request.get('x-hub-signature-256');
    const event = request.get('x-github-event');
    const deliveryId = request.get('x-github-delivery');
    const fields = { deliveryId, event };
    if (!signature || !(await signatureIsValid(deps.webhookSecret, raw, signature))) {
      deps.log.warn({ ...fields, decision: 'reject' }, 'webhook signature missing or wrong');
      return reply(response, 401, 'reject', 'signature missing or wrong');
    }
    if (!event || !deliveryId) return reply(response, 400, 'reject', 'X-GitHub-Event and X-GitHub-Delivery headers are required');
    try {
      const [status, classification] = await decide(deps, event, deliveryId, raw);
      deps.log.info({ ...fields, ...classification.facts, decision: classification.decision, reason: classification.reason }, 'webhook delivery');
      return reply(response, status, classification.decision, classification.reason);
    } catch (error) {
      if (error instanceof MalformedPayloadError) {
        deps.log.warn({ ...fields, decision: 'reject', err: error }, 'malformed webhook payload');
        return reply(response, 400, 'reject', error.message);
      }
      // Not accepted: answering 5xx makes the delivery show as failed, so the reaper redelivers it.
      deps.log.error({ ...fields, err: error }, 'webhook delivery could not be queued');
      return reply(response, 503, 'retry', 'could not queue the event; it will be redelivered');
    }
  });
  return router;
}
