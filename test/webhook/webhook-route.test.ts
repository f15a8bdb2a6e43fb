import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import test from 'ava';
import { buildApp } from '../../handlers/app.ts';
import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import type { QueueTask } from '../../handlers/queue/job-event.ts';
import { InProcessQueue } from '../../handlers/queue/in-process-queue.ts';
import { webhookRoute } from '../../handlers/webhook/webhook-route.ts';
import { workflowJobPayload } from '../fixtures/workflow-job.ts';
import { listen } from '../helpers/listen.ts';

const secret = 'webhook-secret-for-tests';
const templates = parseTemplatesFile(`
templates:
  - name: linux
    labels: [self-hosted, linux, x64]
access:
  owners: [octo-org, octocat]
`);

/** `askOnEnqueue`: the queue tells a duplicate only when asked to enqueue, as Cloud Tasks does (no `taken`). */
async function startWebhook(options: { askOnEnqueue?: boolean } = {}) {
  const handled: QueueTask[] = [];
  const logger = createMemoryLogger();
  const queue = new InProcessQueue({ handle: async (task) => void handled.push(task), log: logger.log, concurrency: 10, dispatchesPerSecond: 1000 });
  const offered = options.askOnEnqueue ? { enqueue: (task: QueueTask) => queue.enqueue(task) } : queue;
  const server = await listen(buildApp({ log: logger.log, routers: [webhookRoute({ webhookSecret: secret, templates, queue: offered, log: logger.log })], isReady: () => true }));
  const post = async (body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_job', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await sign(secret, body), ...headers },
      body,
    });
    return { status: response.status, body: (await response.json()) as { decision: string; reason: string } };
  };
  const postJob = (payload: unknown, headers: Record<string, string> = {}) => post(JSON.stringify(payload), headers);
  return { server, queue, handled, logger, post, postJob };
}

test('a queued job a template serves is accepted with 202 and handed to the queue', async (t) => {
  const hook = await startWebhook();
  const reply = await hook.postJob(workflowJobPayload({ labels: ['Self-Hosted', 'Linux'] }));
  t.is(reply.status, 202);
  t.deepEqual(reply.body, { decision: 'enqueue', reason: 'template linux' });
  await hook.queue.idle();
  t.is(hook.handled.length, 1);
  t.like(hook.handled[0]!.event, { action: 'queued', templateName: 'linux', jobId: 4_100_000_001, owner: 'octo-org', repo: 'app', installationId: 42, ownerIsOrganization: true });
  t.is(hook.handled[0]!.name, 'job-4100000001-1-queued');
  await hook.server.close();
});

test('a redelivered or duplicated event is dropped', async (t) => {
  const hook = await startWebhook();
  const payload = workflowJobPayload();
  t.is((await hook.postJob(payload)).status, 202);
  const again = await hook.postJob(payload);
  t.is(again.status, 200);
  t.regex(again.body.reason, /duplicate/);
  t.is((await hook.postJob(workflowJobPayload({ runAttempt: 2 }))).status, 202, 'a re-run attempt is a new job');
  await hook.queue.idle();
  t.is(hook.handled.length, 2);
  await hook.server.close();
});

test('a duplicate gets the same answer whether the queue knows the name at once or only when asked to enqueue', async (t) => {
  const answers = [];
  for (const askOnEnqueue of [false, true]) {
    const hook = await startWebhook({ askOnEnqueue });
    for (const action of ['queued', 'in_progress', 'completed'] as const) {
      const payload = workflowJobPayload({ action, jobId: 21, runnerName: action === 'queued' ? null : 'ghr-linux-21-1' });
      t.not((await hook.postJob(payload)).status, 200, `${action}: the first is taken`);
      answers.push((await hook.postJob(payload)).body);
    }
    await hook.queue.idle();
    await hook.server.close();
  }
  t.deepEqual(answers.slice(0, 3), answers.slice(3));
  t.like(answers[1], { decision: 'ignore', reason: 'duplicate of task job-21-1-in_progress' });
});

test('a missing or wrong signature is 401 and hints nothing about the expected value', async (t) => {
  const hook = await startWebhook();
  const body = JSON.stringify(workflowJobPayload());
  const wrong = await hook.post(body, { 'x-hub-signature-256': await sign('other-secret', body) });
  t.is(wrong.status, 401);
  t.false(JSON.stringify(wrong.body).includes((await sign(secret, body)).slice(7, 20)));
  const response = await fetch(`${hook.server.url}/webhook`, { method: 'POST', headers: { 'x-github-event': 'workflow_job', 'x-github-delivery': 'd' }, body });
  t.is(response.status, 401);
  t.is(hook.handled.length, 0);
  await hook.server.close();
});

test('malformed JSON, a payload of the wrong shape and missing GitHub headers are 400', async (t) => {
  const hook = await startWebhook();
  t.is((await hook.post('{"action": "queued",')).status, 400);
  t.is((await hook.post(JSON.stringify({ action: 'queued', workflow_job: { id: 'x' } }))).status, 400);
  t.is((await hook.post(JSON.stringify(workflowJobPayload()), { 'x-github-delivery': '' })).status, 400);
  t.is(hook.handled.length, 0);
  await hook.server.close();
});

test('a body over 1 MiB is 413', async (t) => {
  const hook = await startWebhook();
  const reply = await hook.post(JSON.stringify({ padding: 'x'.repeat(1024 * 1024) }));
  t.is(reply.status, 413);
  await hook.server.close();
});

test('ping is answered and other events are ignored with a reason', async (t) => {
  const hook = await startWebhook();
  t.like(await hook.post(JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 }), { 'x-github-event': 'ping' }), { status: 200, body: { decision: 'ignore', reason: 'pong' } });
  const push = await hook.post(JSON.stringify({ ref: 'refs/heads/main' }), { 'x-github-event': 'push' });
  t.is(push.status, 200);
  t.is(push.body.reason, 'event push is not handled');
  await hook.server.close();
});

test('jobs no template serves, from owners not served, or from public repositories get no VM', async (t) => {
  const hook = await startWebhook();
  t.regex((await hook.postJob(workflowJobPayload({ labels: ['ubuntu-latest'] }))).body.reason, /no template serves labels \[ubuntu-latest\]/);
  t.regex((await hook.postJob(workflowJobPayload({ jobId: 2, owner: 'stranger' }))).body.reason, /owner stranger is not served/);
  t.regex((await hook.postJob(workflowJobPayload({ jobId: 3, isPrivate: false }))).body.reason, /public/);
  t.regex((await hook.postJob(workflowJobPayload({ jobId: 4, installationId: null }))).body.reason, /no installation/);
  t.is(hook.handled.length, 0);
  await hook.server.close();
});

test('a job waiting for approval gets no VM until it is queued', async (t) => {
  const hook = await startWebhook();
  const waiting = await hook.postJob(workflowJobPayload({ action: 'waiting' }));
  t.is(waiting.status, 200);
  t.regex(waiting.body.reason, /waiting for approval/);
  t.is((await hook.postJob(workflowJobPayload({ action: 'queued' }))).status, 202);
  await hook.server.close();
});

test('in_progress and completed for our runners are routed by runner name; others are ignored', async (t) => {
  const hook = await startWebhook();
  const ours = await hook.postJob(workflowJobPayload({ action: 'in_progress', runnerName: 'ghr-linux-99-1' }));
  t.is(ours.status, 202);
  t.is(ours.body.reason, 'runner ghr-linux-99-1');
  t.regex((await hook.postJob(workflowJobPayload({ action: 'completed', runnerName: 'GitHub Actions 5' }))).body.reason, /not ours/);
  t.regex((await hook.postJob(workflowJobPayload({ action: 'completed', jobId: 8, runnerName: null, labels: ['ubuntu-latest'] }))).body.reason, /cancelled before a runner took it; no template serves labels/);
  await hook.queue.idle();
  t.is(hook.handled.length, 1);
  t.like(hook.handled[0]!.event, { action: 'in_progress', runnerName: 'ghr-linux-99-1', templateName: null });
  await hook.server.close();
});

test('completed with no runner (cancelled while queued) for a job a template serves is routed to release the VM made for it', async (t) => {
  const hook = await startWebhook();
  const cancelled = await hook.postJob(workflowJobPayload({ action: 'completed', jobId: 7, runnerName: null }));
  t.is(cancelled.status, 202);
  t.regex(cancelled.body.reason, /cancelled before a runner took it: its VM \(template linux\) is released/);
  await hook.queue.idle();
  t.like(hook.handled[0], { name: 'job-7-1-completed', event: { action: 'completed', jobId: 7, runnerName: null, templateName: 'linux' } });
  await hook.server.close();
});

test('each delivery gets one structured log line with its id, job and decision, and no secret', async (t) => {
  const hook = await startWebhook();
  await hook.postJob(workflowJobPayload({ jobId: 5 }), { 'x-github-delivery': 'delivery-5' });
  const line = hook.logger.lines().find((entry) => entry['deliveryId'] === 'delivery-5');
  t.like(line, { severity: 'INFO', message: 'webhook delivery', event: 'workflow_job', action: 'queued', jobId: 5, repository: 'octo-org/app', decision: 'enqueue' });
  t.false(hook.logger.text().includes(secret));
  await hook.server.close();
});

test('deliveries for other runners and duplicates are logged at debug with their reason; decisions about our jobs at info', async (t) => {
  const hook = await startWebhook();
  await hook.postJob(workflowJobPayload({ jobId: 11, labels: ['ubuntu-latest'] }), { 'x-github-delivery': 'hosted' });
  await hook.postJob(workflowJobPayload({ jobId: 12, owner: 'stranger' }), { 'x-github-delivery': 'refused' });
  await hook.postJob(workflowJobPayload({ jobId: 13 }), { 'x-github-delivery': 'first' });
  await hook.postJob(workflowJobPayload({ jobId: 13 }), { 'x-github-delivery': 'again' });
  const line = (deliveryId: string) => hook.logger.lines().find((entry) => entry['deliveryId'] === deliveryId);
  t.like(line('hosted'), { severity: 'DEBUG', message: 'webhook delivery', decision: 'ignore', jobId: 11, reason: 'no template serves labels [ubuntu-latest]' });
  t.like(line('refused'), { severity: 'INFO', decision: 'ignore', jobId: 12 });
  t.like(line('first'), { severity: 'INFO', decision: 'enqueue', jobId: 13 });
  t.like(line('again'), { severity: 'DEBUG', decision: 'ignore', jobId: 13, repository: 'octo-org/app', reason: 'duplicate of task job-13-1-queued' });
  await hook.queue.idle();
  await hook.server.close();
});
