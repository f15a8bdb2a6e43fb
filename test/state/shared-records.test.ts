import test from 'ava';
import { LostRunnerEvents } from '../../handlers/dispatch/lost-runner-events.ts';
import type { RunnerEvent } from '../../handlers/dispatch/ports.ts';
import { SpotLedger } from '../../handlers/steps/spot-ledger.ts';
import { startFirestoreWorld } from './firestore-world.ts';

const event: RunnerEvent = { action: 'completed', jobId: 7, runId: 70, runAttempt: 1, installationId: 1, owner: 'octo-org', repo: 'app', runnerName: 'ghr-linux-5-1', conclusion: 'failure' };

test('an event of a lost VM recorded by one instance is found by the VM check another instance answers, for an hour', async (t) => {
  const world = await startFirestoreWorld();
  t.teardown(world.close);
  const [dispatcher, checker] = [new LostRunnerEvents(world.store()), new LostRunnerEvents(world.store())];
  const now = Date.now();
  await dispatcher.record(event, now);
  await dispatcher.record({ ...event, action: 'in_progress', conclusion: null }, now);
  t.deepEqual((await checker.of('ghr-linux-5-1', now + 60_000)).map((kept) => kept.action), ['completed', 'in_progress']);
  t.deepEqual(await checker.of('ghr-linux-5-1', now + 60 * 60_000), []);
});

test('spot re-runs and pauses are shared: a run re-run through one instance is not re-run through another, and a pause holds on both', async (t) => {
  const world = await startFirestoreWorld();
  t.teardown(world.close);
  const [a, b] = [new SpotLedger(world.store()), new SpotLedger(world.store())];
  const now = Date.now();
  t.true(await a.claimRerun(70, now));
  t.false(await b.claimRerun(70, now));
  t.true(await b.wasRerunAfterPreemption(70, now));
  t.false(await a.recordPreemption('gpu', now));
  t.true(await b.recordPreemption('gpu', now + 1000), 'the second preemption within 15 min pauses spot');
  t.true(await a.isPaused('gpu', now + 29 * 60_000));
  t.false(await a.isPaused('gpu', now + 1000 + 30 * 60_000));
});
