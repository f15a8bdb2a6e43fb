import { createHmac } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import test from 'ava';
import fc from 'fast-check';
import { buildApp } from '../../handlers/app.ts';
import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import type { QueueTask } from '../../handlers/queue/job-event.ts';
import { InProcessQueue } from '../../handlers/queue/in-process-queue.ts';
import { webhookRoute } from '../../handlers/webhook/webhook-route.ts';
import { workflowJobPayload } from '../fixtures/workflow-job.ts';
import { listen } from '../helpers/listen.ts';

const secret = 'fuzz-secret';
const templates = parseTemplatesFile('templates:\n  - {name: linux, labels: [self-hosted, linux]}\naccess: {publicRepositories: true}\n');

/** Bodies: garbage bytes, JSON of any shape, and real payloads with fields replaced by anything. */
const bodies = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc.json({ maxDepth: 4 }).map((text) => Buffer.from(text)),
  fc.record({ key: fc.constantFrom('action', 'workflow_job', 'repository', 'installation'), value: fc.anything() }).map(({ key, value }) => {
    const payload: Record<string, unknown> = workflowJobPayload({ labels: ['self-hosted', 'linux'] });
    payload[key] = value;
    return Buffer.from(JSON.stringify(payload) ?? '');
  }),
  fc.string({ unit: 'binary', maxLength: 512 }).map((text) => Buffer.from(text, 'latin1')),
);

/** Signs the exact bytes, empty bodies included (GitHub's scheme; `sign()` refuses an empty payload). */
const signBytes = (body: Buffer) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const headerValue = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 64 }).map((text) => text.replace(/[^\x20-\x7e]/g, '')));

test('thousands of random deliveries, validly signed or not, never cause a 5xx, a crash or a task', async (t) => {
  const tasks: QueueTask[] = [];
  const { log } = createMemoryLogger('fatal');
  const queue = new InProcessQueue({ handle: async (task) => void tasks.push(task), log, concurrency: 4, dispatchesPerSecond: 1000 });
  const server = await listen(buildApp({ log, routers: [webhookRoute({ webhookSecret: secret, templates, queue, log })], isReady: () => true }));
  const statuses = new Map<number, number>();
  try {
    await fc.assert(
      fc.asyncProperty(
        bodies,
        fc.record({ signed: fc.boolean(), event: fc.oneof(fc.constantFrom('workflow_job', 'ping', 'push'), headerValue), delivery: headerValue, contentType: fc.oneof(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'), headerValue), encoding: fc.constantFrom(undefined, 'gzip', 'identity', 'br') }),
        async (body, header) => {
          const headers: Record<string, string> = {};
          if (header.signed) headers['x-hub-signature-256'] = signBytes(body);
          if (header.event) headers['x-github-event'] = header.event;
          if (header.delivery) headers['x-github-delivery'] = header.delivery;
          if (header.contentType) headers['content-type'] = header.contentType;
          if (header.encoding) headers['content-encoding'] = header.encoding;
          const response = await fetch(`${server.url}/webhook`, { method: 'POST', headers, body });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          return response.status < 500;
        },
      ),
      { numRuns: 2500, seed: 20261128 },
    );
    const health = await fetch(`${server.url}/healthz`);
    t.is(health.status, 200, 'still serving');
    await queue.idle();
    t.is(tasks.length, 0);
    t.log(Object.fromEntries(statuses));
  } finally {
    queue.close();
    await server.close();
  }
});

test('a body over 1 MiB is refused with 413 whatever its signature, without being read whole', async (t) => {
  const { log } = createMemoryLogger('fatal');
  const queue = new InProcessQueue({ handle: async () => undefined, log, concurrency: 1, dispatchesPerSecond: 1 });
  const server = await listen(buildApp({ log, routers: [webhookRoute({ webhookSecret: secret, templates, queue, log })], isReady: () => true }));
  try {
    const body = Buffer.alloc(5 * 1024 * 1024, 0x20);
    const response = await fetch(`${server.url}/webhook`, { method: 'POST', headers: { 'x-hub-signature-256': await sign(secret, 'x'), 'content-length': String(body.length) }, body });
    t.is(response.status, 413);
  } finally {
    queue.close();
    await server.close();
  }
});
