import test from 'ava';
import { runnerEvent, runRunnerScript } from './runner-budget-world.ts';

const timing = { idleTimeoutSeconds: 600, maxRunDurationSeconds: 3600, vmCheckIntervalSeconds: 60 };

test('a job cancelled while queued ends the execution at once: the idle runner is released with its VM', async (t) => {
  const released: unknown[] = [];
  const run = await runRunnerScript(timing, [{ afterSeconds: 5, body: runnerEvent('cancelled') }], {
    answers: { 'delete-vm': (body) => (released.push(body), { runnerName: 'ghr-linux-42-1', runner: 'deleted', vm: 'deleted', zone: 'us-central1-a' }) },
  });
  t.is(run.state, 'SUCCEEDED');
  t.like(run.outcome, { outcome: 'cancelled', ranJobId: 42 });
  t.like(released[0], { runnerName: 'ghr-linux-42-1', onlyIfIdle: true });
});

test('a runner that took another job before the cancellation arrived keeps its VM, and that job is followed to its end', async (t) => {
  const released: Array<Record<string, unknown>> = [];
  const run = await runRunnerScript(
    timing,
    [
      { afterSeconds: 5, body: runnerEvent('cancelled') },
      { afterSeconds: 1, body: runnerEvent('in_progress', 77) },
      { afterSeconds: 120, body: runnerEvent('completed', 77) },
    ],
    {
      answers: {
        'delete-vm': (body) => {
          released.push(body);
          return body['onlyIfIdle'] === true ? { runnerName: 'ghr-linux-42-1', runner: 'busy', vm: 'kept', zone: null } : { runnerName: 'ghr-linux-42-1', runner: 'deleted', vm: 'deleted', zone: 'us-central1-a' };
        },
      },
    },
  );
  t.is(run.state, 'SUCCEEDED');
  t.like(run.outcome, { outcome: 'completed', ranJobId: 77, vm: 'deleted' });
  t.deepEqual(released.map((body) => body['onlyIfIdle'] ?? false), [true, false], 'released only if idle, then deleted once the job ended');
});

test('a cancellation arriving after the runner started a job changes nothing', async (t) => {
  const run = await runRunnerScript(timing, [
    { afterSeconds: 1, body: runnerEvent('in_progress', 77) },
    { afterSeconds: 1, body: runnerEvent('cancelled') },
    { afterSeconds: 60, body: runnerEvent('completed', 77) },
  ]);
  t.like(run.outcome, { outcome: 'completed', ranJobId: 77 });
});
