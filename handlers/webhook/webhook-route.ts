import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Router } from 'express';
import type { TemplatesConfig } from '../config/types.ts';
import type { Log } from '../log/logger.ts';
import type { JobQueue } from '../queue/job-event.ts';
import { classifyWorkflowJob, MalformedPayloadError, type Classification } from './classify-workflow-job.ts';
import { knownDuplicate } from './known-duplicate.ts';
import { metricFields } from '../metrics/emit-metric.ts';
import { queuedJobMetric } from '../metrics/queued-job-metric.ts';

export interface WebhookDeps {
  /**
   * Fixed, or read from the App's credentials, which /setup can replace while the service runs;
   * `fresh` asks for a re-read when a signature does not match the secret known.
   */
  readonly webhookSecret: string | ((options?: { fresh?: boolean }) => Promise<string | null>);
  readonly templates: TemplatesConfig;
  readonly queue: JobQueue;
  readonly log: Log;
}

/** GitHub caps deliveries at 25 MB, but a workflow_job payload is a few KB: 1 MiB is generous. */
const maxBodyBytes = 1024 * 1024;

function reply(response: ServerResponse, status: number, decision: string, reason: string): void {
  const body = JSON.stringify({ decision, reason });
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}

const signatureHeader = /^sha256=[0-9a-f]{64}$/;

/**
 * GitHub signs the exact bytes it sends: X-Hub-Signature-256 is `sha256=` and the hex HMAC-SHA256
 * of the body. Checked on those bytes with node:crypto, in constant time. @octokit/webhooks-methods
 * takes the body as a string and encodes it again to hash it: on the 11 KB workflow_job delivery
 * that was ~10 % of the request's CPU (bench profile), for the same answer.
 */
function signatureIsValid(key: KeyObject, body: Buffer, header: string | undefined): boolean {
  if (header === undefined || body.length === 0 || !signatureHeader.test(header)) return false;
  const expected = createHmac('sha256', key).update(body).digest();
  return timingSafeEqual(Buffer.from(header.slice('sha256='.length), 'hex'), expected);
}

/** The HMAC key of the secret last seen: made once per secret, not once per delivery. */
function keyCache(): (secret: string) => KeyObject {
  let last: { secret: string; key: KeyObject } | null = null;
  return (secret) => {
    if (last?.secret !== secret) last = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
    return last.key;
  };
}

/** After another instance's /setup replaced the App, the first delivery signed with its secret. */
async function signedWithNewSecret(deps: WebhookDeps, keyOf: (secret: string) => KeyObject, known: string, body: Buffer, signature: string | undefined): Promise<boolean> {
  if (typeof deps.webhookSecret === 'string' || signature === undefined) return false;
  const fresh = await deps.webhookSecret({ fresh: true });
  return fresh !== null && fresh !== known && signatureIsValid(keyOf(fresh), body, signature);
}

async function decide(deps: WebhookDeps, event: string, deliveryId: string, body: Buffer): Promise<[number, Classification]> {
  if (event === 'ping') return [200, { decision: 'ignore', reason: 'pong' }];
  if (event !== 'workflow_job') return [200, { decision: 'ignore', reason: `event ${event} is not handled`, routine: true }];
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    throw new MalformedPayloadError('body is not JSON');
  }
  const duplicate = knownDuplicate(deps.queue, payload);
  if (duplicate) return [200, duplicate];
  const classification = classifyWorkflowJob(payload, deliveryId, deps.templates);
  if (classification.decision !== 'enqueue') return [200, classification];
  const outcome = await deps.queue.enqueue(classification.task);
  if (outcome === 'enqueued') return [202, classification];
  const { facts } = classification;
  return [200, { decision: 'ignore', reason: `duplicate of task ${classification.task.name}`, routine: true, ...(facts && { facts }) }];
}

/**
 * Decisions about our jobs (enqueued, refused by the access policy) at info; deliveries for other
 * runners (most of an organization's: GitHub-hosted jobs) and duplicates of a task already taken
 * (its first delivery's line holds the decision) at debug, as they would otherwise be most of the
 * log and a good part of the webhook's CPU.
 */
function logDecision(log: Log, fields: { deliveryId: string; event: string }, classification: Classification): void {
  const level = classification.decision === 'ignore' && classification.routine === true ? 'debug' : 'info';
  if (!log.isLevelEnabled(level)) return;
  log[level]({ ...fields, ...classification.facts, decision: classification.decision, reason: classification.reason, ...queuedJobMetric(classification) }, 'webhook delivery');
}

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

async function handle(deps: WebhookDeps, keyOf: (secret: string) => KeyObject, request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
  const event = header(request, 'x-github-event');
  const deliveryId = header(request, 'x-github-delivery');
  const secret = typeof deps.webhookSecret === 'string' ? deps.webhookSecret : await deps.webhookSecret();
  if (secret === null) return reply(response, 503, 'retry', 'no GitHub App is configured yet: open /setup');
  const signature = header(request, 'x-hub-signature-256');
  if (!signatureIsValid(keyOf(secret), body, signature) && !(await signedWithNewSecret(deps, keyOf, secret, body, signature))) {
    deps.log.warn({ deliveryId, event, decision: 'reject' }, 'webhook signature missing or wrong');
    return reply(response, 401, 'reject', 'signature missing or wrong');
  }
  if (!event || !deliveryId) return reply(response, 400, 'reject', 'X-GitHub-Event and X-GitHub-Delivery headers are required');
  const fields = { deliveryId, event };
  try {
    const [status, classification] = await decide(deps, event, deliveryId, body);
    logDecision(deps.log, fields, classification);
    return reply(response, status, classification.decision, classification.reason);
  } catch (error) {
    if (error instanceof MalformedPayloadError) {
      deps.log.warn({ ...fields, decision: 'reject', err: error }, 'malformed webhook payload');
      return reply(response, 400, 'reject', error.message);
    }
    // Not accepted: answering 5xx makes the delivery show as failed, so the reaper redelivers it.
    deps.log.error({ ...fields, err: error, ...metricFields('webhook_failed', {}) }, 'webhook delivery could not be queued');
    return reply(response, 503, 'retry', 'could not queue the event; it will be redelivered');
  }
}

function tooLarge(request: IncomingMessage, response: ServerResponse): void {
  // Stop reading; the connection closes after the answer rather than draining the rest.
  request.pause();
  response.setHeader('connection', 'close');
  reply(response, 413, 'reject', 'body too large');
}

/**
 * `POST /webhook` as a plain node:http handler: verify, classify, hand over durably, answer within
 * milliseconds. It is the public hot path (every job of every repository the App is installed on
 * comes through here, most of them for GitHub-hosted runners), so it reads the body itself and
 * writes its answer directly, without a body parser or Express's response helpers.
 */
export function webhookHandler(deps: WebhookDeps): (request: IncomingMessage, response: ServerResponse) => void {
  const keyOf = keyCache();
  return (request, response) => {
    if (Number(request.headers['content-length'] ?? 0) > maxBodyBytes) return tooLarge(request, response);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBodyBytes) return void chunks.push(chunk);
      request.off('data', onData);
      tooLarge(request, response);
    };
    request.on('data', onData);
    request.on('end', () => {
      if (size <= maxBodyBytes) void handle(deps, keyOf, request, response, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    request.on('error', () => response.destroy());
  };
}

/** The same handler mounted on an Express router, for apps composed of routers. */
export function webhookRoute(deps: WebhookDeps): Router {
  const handler = webhookHandler(deps);
  return express.Router().post('/webhook', (request, response) => handler(request, response));
}
