import test from 'ava';
import { runRunnerScript } from './runner-budget-world.ts';

const timing = { idleTimeoutSeconds: 3600, maxRunDurationSeconds: 3600, vmCheckIntervalSeconds: 60 };

test('a job holding a warm runner claim sleeps and asks validate again until told to stand down', async (t) => {
  const asked: number[] = [];
  const run = await runRunnerScript(timing, [], {
    answers: {
      validate: () => (asked.push(asked.length), asked.length < 3 ? { proceed: false, reason: 'queued for warm runner ghr-linux-w0-1', recheckSeconds: 5 } : { proceed: false, reason: 'job 42 is in_progress, no longer queued' }),
    },
  });
  t.is(run.state, 'SUCCEEDED');
  t.deepEqual(run.outcome, { outcome: 'skipped', reason: 'job 42 is in_progress, no longer queued' });
  t.is(asked.length, 3);
});

test('a claim that runs out goes on to make the job its own VM', async (t) => {
  let asked = 0;
  const created: unknown[] = [];
  const run = await runRunnerScript(timing, [], {
    answers: {
      validate: () => (++asked === 1 ? { proceed: false, reason: 'queued for warm runner', recheckSeconds: 5 } : { proceed: true, reason: 'job 42 is queued', runnerName: 'ghr-linux-42-1', templateName: 'linux', ...timing, idleTimeoutSeconds: 60 }),
      'create-vm': (body) => (created.push(body), { status: 'created', runnerName: 'ghr-linux-42-1', zone: 'us-central1-a', spot: false }),
    },
  });
  t.is(run.state, 'SUCCEEDED');
  t.is(created.length, 1);
  t.like(run.outcome, { outcome: 'idle' });
});

test('an idle warm runner whose seat moved on retires at its next VM check, long before its idle age', async (t) => {
  const checks: number[] = [];
  let deleted: Record<string, unknown> | undefined;
  const run = await runRunnerScript(timing, [], {
    answers: {
      'check-vm': () => (checks.push(1), { runnerName: 'ghr-linux-42-1', present: true, status: 'RUNNING', lostEvents: [], retire: checks.length >= 2 }),
      'delete-vm': (body) => ((deleted = body), { runnerName: 'ghr-linux-42-1', runner: 'deleted', vm: 'deleted', zone: 'us-central1-a' }),
    },
  });
  t.is(run.state, 'SUCCEEDED');
  t.like(run.outcome, { outcome: 'idle' });
  t.is(checks.length, 2, 'ended at the second VM check, not after an hour of them');
  t.not(deleted, undefined);
  t.false('failed' in deleted!, 'an idle end is no failure: its seat, if it still held one, is refilled at once');
});
