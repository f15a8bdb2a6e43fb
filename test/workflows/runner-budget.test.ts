import test from 'ava';
import { runnerSteps } from '../../handlers/config/execution-limits.ts';
import { runRunner } from './runner-budget-world.ts';

// Cloud Workflows stops an execution after 100,000 steps (Quotas and limits → "Maximum number of
// steps executed in a single execution", https://cloud.google.com/workflows/quotas). A waiting
// execution spends steps at every VM check, so the start-up check of a template's worst case
// (handlers/config/execution-limits.ts) rests on the numbers measured here on the real runner.yaml.

const interval = 60;

test('an idle VM costs a fixed number of steps plus a fixed number per VM check', async (t) => {
  const short = await runRunner({ idleTimeoutSeconds: 10 * interval, maxRunDurationSeconds: 3600, vmCheckIntervalSeconds: interval }, null);
  const long = await runRunner({ idleTimeoutSeconds: 30 * interval, maxRunDurationSeconds: 3600, vmCheckIntervalSeconds: interval }, null);
  t.like(short.outcome, { outcome: 'idle' });
  const perCheck = (long.steps - short.steps) / 20;
  const fixed = short.steps - 10 * perCheck;
  t.log(`idle: ${fixed} steps fixed, ${perCheck} per VM check`);
  t.is(perCheck, runnerSteps.perCheck, 'update runnerSteps.perCheck in handlers/config/execution-limits.ts');
  t.true(fixed <= runnerSteps.fixed, `fixed cost ${fixed} exceeds runnerSteps.fixed`);
});

test('a job that runs costs the same per VM check, plus its two events', async (t) => {
  const timing = { idleTimeoutSeconds: 600, maxRunDurationSeconds: 6 * 3600, vmCheckIntervalSeconds: interval };
  const short = await runRunner(timing, 10 * interval);
  const long = await runRunner(timing, 40 * interval);
  t.like(long.outcome, { outcome: 'completed', conclusion: 'success' });
  const perCheck = (long.steps - short.steps) / 30;
  t.log(`job: ${short.steps - 10 * perCheck} steps fixed, ${perCheck} per VM check`);
  t.is(perCheck, runnerSteps.perCheck);
  t.true(short.steps - 10 * perCheck <= runnerSteps.fixed, `fixed cost ${short.steps - 10 * perCheck} exceeds runnerSteps.fixed`);
});

test('the worst case the start-up check assumes holds for a job that runs to its maximum duration', async (t) => {
  const timing = { idleTimeoutSeconds: 10 * interval, maxRunDurationSeconds: 20 * interval, vmCheckIntervalSeconds: interval };
  const { steps, outcome } = await runRunner(timing, 60 * interval);
  t.like(outcome, { outcome: 'max_duration_exceeded' });
  t.true(steps <= runnerSteps.worstCase(timing), `${steps} steps > ${runnerSteps.worstCase(timing)}`);
});
