import test from 'ava';
import { ManualClock, systemEngineClock } from '../../workflows/engine/clock.ts';

test('a manual clock fires sleeps in time order as it advances, and records each delay', async (t) => {
  const clock = new ManualClock(0);
  const fired: string[] = [];
  void clock.sleep(3000).then(() => fired.push(`b@${clock.now()}`));
  void clock.sleep(1000).then(() => fired.push(`a@${clock.now()}`));
  await clock.advance(999);
  t.deepEqual(fired, []);
  await clock.advance(5000);
  t.deepEqual(fired, ['a@1000', 'b@3000']);
  t.is(clock.now(), 5999);
  t.deepEqual(clock.sleeps, [3000, 1000]);
});

test('runUntilIdle follows chains of sleeps to the end', async (t) => {
  const clock = new ManualClock(0);
  let done = false;
  void (async () => {
    for (let i = 0; i < 3; i++) await clock.sleep(60_000);
    done = true;
  })();
  await clock.runUntilIdle();
  t.true(done);
  t.is(clock.now(), 180_000);
});

test('an aborted sleep rejects with the reason and leaves no timer', async (t) => {
  const clock = new ManualClock(0);
  const controller = new AbortController();
  const sleeping = clock.sleep(10_000, controller.signal);
  controller.abort(new Error('stop'));
  await t.throwsAsync(sleeping, { message: 'stop' });
  t.is(clock.pendingTimers, 0);
});

test('the system clock sleeps for real and can be aborted', async (t) => {
  const started = Date.now();
  await systemEngineClock.sleep(20);
  t.true(Date.now() - started >= 15);
  const controller = new AbortController();
  const sleeping = systemEngineClock.sleep(60_000, controller.signal);
  controller.abort(new Error('cancelled'));
  await t.throwsAsync(sleeping, { message: 'cancelled' });
});
