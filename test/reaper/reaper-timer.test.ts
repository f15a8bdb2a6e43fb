import test from 'ava';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { startReaperTimer } from '../../handlers/reaper/start-reaper-timer.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('starts a run every interval, never two at once, until stopped', async (t) => {
  const { log } = createMemoryLogger();
  let running = 0;
  let most = 0;
  let runs = 0;
  const timer = startReaperTimer({
    intervalMs: 10,
    log,
    run: async () => {
      running += 1;
      most = Math.max(most, running);
      runs += 1;
      await pause(30); // slower than the interval
      running -= 1;
    },
  });
  await pause(200);
  timer.stop();
  const stoppedAt = runs;
  await pause(100);
  t.true(stoppedAt >= 3, `${stoppedAt} runs`);
  t.is(most, 1);
  t.is(runs, stoppedAt, 'no run after stop');
});

test('a run that fails to start is logged and the schedule goes on', async (t) => {
  const logs = createMemoryLogger();
  let calls = 0;
  const timer = startReaperTimer({ intervalMs: 10, firstRunAfterMs: 0, log: logs.log, run: async () => {
    calls += 1;
    throw new Error('engine not ready');
  } });
  await pause(80);
  timer.stop();
  t.true(calls >= 2);
  t.like(logs.lines()[0], { severity: 'WARNING', message: 'reaper run did not start', err: { message: 'engine not ready' } });
});

test('the first run waits one interval unless told otherwise', async (t) => {
  const { log } = createMemoryLogger();
  let calls = 0;
  const timer = startReaperTimer({ intervalMs: 10_000, log, run: async () => void (calls += 1) });
  await pause(50);
  timer.stop();
  t.is(calls, 0);
});
