import test, { type ExecutionContext } from 'ava';
import { redeliverFailed } from '../../handlers/reaper/redeliver-failed.ts';
import { startReceiver } from '../github/helpers.ts';
import { startReaperWorld, type ReaperWorld } from './reaper-world.ts';

const DAY = 24 * 60 * 60_000;

/** A world whose webhook receiver answers whatever `status.code` is at the time. */
async function worldWithReceiver(t: ExecutionContext) {
  const status = { code: 503 };
  const receiver = await startReceiver(() => status.code);
  const world = await startReaperWorld({ webhookUrl: receiver.url });
  t.teardown(async () => (await world.close(), await receiver.close()));
  return { world, status, receiver };
}

const queue = (w: ReaperWorld) => w.github.createJob({ owner: 'acme', repo: 'app', labels: ['self-hosted', 'linux', 'x64'] });
/** The `status` filter of each deliveries list request, in order. */
const listings = (w: ReaperWorld) => w.github.requests().filter((request) => request.path === '/app/hook/deliveries').map((request) => request.query['status'] ?? 'all');
const attempts = (w: ReaperWorld) => w.github.requests().filter((request) => request.method === 'POST' && request.path.endsWith('/attempts'));

test('a failed workflow_job delivery is redelivered once, and never again', async (t) => {
  const { world: w, status, receiver } = await worldWithReceiver(t);
  await queue(w);
  const [failed] = w.github.deliveries();
  const first = await redeliverFailed({}, w.deps);
  await w.github.settled();
  t.like(first, { scanned: 1, complete: true, skipped: [], kept: {}, stoppedEarly: null });
  t.deepEqual(first.redelivered, [{ deliveryId: failed!.id, guid: failed!.guid, action: 'queued', failedWith: 'HTTP 503', deliveredAt: failed!.deliveredAt }]);
  t.is(receiver.received.length, 2);
  t.is(receiver.received[1]?.headers['x-github-delivery'], failed!.guid);
  // The redelivery failed too (still 503): it is not redelivered a second time.
  const second = await redeliverFailed({}, w.deps);
  t.like(second, { scanned: 2, redelivered: [], kept: { 'already redelivered': 1 } });
  status.code = 202;
  t.like(await redeliverFailed({}, w.deps), { redelivered: [], kept: { 'already redelivered': 1 } });
  t.is(attempts(w).length, 1);
  w.assertNoSecrets(t, first, second);
});

test('a successful delivery is never redelivered, nor a failed one whose redelivery succeeded', async (t) => {
  const { world: w, status } = await worldWithReceiver(t);
  await queue(w);
  status.code = 200;
  await queue(w);
  await w.github.redeliver(w.github.deliveries()[0]!.id);
  const result = await redeliverFailed({}, w.deps);
  t.like(result, { scanned: 3, redelivered: [], kept: { delivered: 2 } });
  t.is(attempts(w).length, 0);
});

test('deliveries older than GitHub\'s retention window are never redelivered, and the walk stops at the first of them', async (t) => {
  // No webhook URL: every delivery is recorded as failed, with no receiver to slow 150 of them down.
  const w = await startReaperWorld();
  t.teardown(w.close);
  w.githubClock.set(-4 * DAY);
  for (let i = 0; i < 150; i += 1) await queue(w);
  w.githubClock.set(0);
  for (let i = 0; i < 5; i += 1) await queue(w);
  const recent = w.github.deliveries().slice(-5).map((delivery) => delivery.id);
  const result = await redeliverFailed({}, w.deps);
  t.deepEqual(result.redelivered.map((redelivered) => redelivered.deliveryId), recent, 'oldest first');
  t.is(result.redelivered[0]?.failedWith, 'No webhook URL configured');
  t.like(result, { scanned: 5, complete: true });
  t.true(Math.abs(Date.now() - Date.parse(result.since) - 71 * 60 * 60_000) < 60_000, 'three days less an hour');
  t.deepEqual(listings(w), ['failure', 'success'], 'one page of failures (the old ones start on it), one of successes since the oldest failure');
});

test('the deliveries are walked page by page with GitHub\'s cursor', async (t) => {
  const w = await startReaperWorld();
  t.teardown(w.close);
  for (let i = 0; i < 120; i += 1) await queue(w);
  const result = await redeliverFailed({}, w.deps);
  t.like(result, { scanned: 120, complete: true });
  t.is(result.redelivered.length, 50, 'at most 50 per run');
  t.is(result.skipped.length, 70);
  t.is(result.skipped[0]?.why, 'over this run\'s limit of 50');
  const pages = w.github.requests().filter((request) => request.query['status'] === 'failure').map((request) => request.query['cursor'] ?? null);
  t.is(pages.length, 2);
  t.is(pages[0], null);
  t.regex(pages[1] ?? '', /^v1_\d+$/);
  t.is(w.github.tokensMinted(), 0, 'the deliveries API takes the App JWT: no installation token');
});

test('with no failed delivery, a run costs one request, however many deliveries succeeded', async (t) => {
  const { world: w, status } = await worldWithReceiver(t);
  status.code = 202;
  for (let i = 0; i < 150; i += 1) await queue(w);
  t.like(await redeliverFailed({}, w.deps), { scanned: 0, complete: true, redelivered: [], kept: {} });
  t.deepEqual(listings(w), ['failure']);
});

test('a rate limit on the deliveries list ends the run early and says so', async (t) => {
  const w = await startReaperWorld();
  t.teardown(w.close);
  await queue(w);
  w.github.fail({ method: 'GET', path: '/app/hook/deliveries', status: 429, headers: { 'retry-after': '120' }, times: 5 });
  const result = await redeliverFailed({}, w.deps);
  t.like(result, { scanned: 0, redelivered: [], stoppedEarly: { retryAfterSeconds: 120 } });
  t.is(w.github.requests().filter((request) => request.path === '/app/hook/deliveries').length, 1);
});

test('a rate limit while redelivering stops at the first refusal; the rest wait for the next run', async (t) => {
  const w = await startReaperWorld();
  t.teardown(w.close);
  for (let i = 0; i < 3; i += 1) await queue(w);
  const reset = String(Math.ceil(Date.now() / 1000) + 300);
  w.github.fail({ method: 'POST', path: '/app/hook/deliveries/:id/attempts', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, times: 5 });
  const result = await redeliverFailed({}, w.deps);
  t.like(result, { redelivered: [], skipped: [] });
  t.true((result.stoppedEarly?.retryAfterSeconds ?? 0) > 290);
  t.is(attempts(w).length, 1);
  w.github.clearFaults();
  t.is((await redeliverFailed({}, w.deps)).redelivered.length, 3);
});
