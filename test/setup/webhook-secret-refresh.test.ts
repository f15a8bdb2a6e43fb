import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import test from 'ava';
import { buildApp } from '../../handlers/app.ts';
import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { InProcessQueue } from '../../handlers/queue/in-process-queue.ts';
import { webhookRoute } from '../../handlers/webhook/webhook-route.ts';
import { listen } from '../helpers/listen.ts';

const templates = parseTemplatesFile('templates:\n  - name: linux\n    labels: [self-hosted, linux]\n');

async function start(secrets: { current: string | null; stored: string | null }) {
  const logger = createMemoryLogger();
  const asked: boolean[] = [];
  const webhookSecret = async (options?: { fresh?: boolean }) => {
    asked.push(options?.fresh === true);
    return options?.fresh === true ? secrets.stored : secrets.current;
  };
  const queue = new InProcessQueue({ handle: async () => undefined, log: logger.log, concurrency: 1, dispatchesPerSecond: 1000 });
  const server = await listen(buildApp({ log: logger.log, routers: [webhookRoute({ webhookSecret, templates, queue, log: logger.log })], isReady: () => true }));
  const ping = async (secret: string) => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.' });
    const headers = { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await sign(secret, body) };
    return (await fetch(`${server.url}/webhook`, { method: 'POST', headers, body })).status;
  };
  return { ping, asked, close: server.close };
}

test('a delivery signed with the secret of an App another instance just stored is accepted after one fresh read', async (t) => {
  const hook = await start({ current: 'old-secret', stored: 'new-secret' });
  t.teardown(hook.close);
  t.is(await hook.ping('new-secret'), 200);
  t.deepEqual(hook.asked, [false, true]);
});

test('a wrong signature stays wrong after the fresh read', async (t) => {
  const hook = await start({ current: 'old-secret', stored: 'old-secret' });
  t.teardown(hook.close);
  t.is(await hook.ping('forged'), 401);
});

test('before any App is configured the webhook answers 503, so GitHub shows the delivery as failed', async (t) => {
  const hook = await start({ current: null, stored: null });
  t.teardown(hook.close);
  t.is(await hook.ping('anything'), 503);
});
