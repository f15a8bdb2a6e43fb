import test from 'ava';
import { emitStepMetrics } from '../../handlers/metrics/step-metrics.ts';
import { reapVms } from '../../handlers/reaper/reap-vms.ts';
import { MINUTE, ourName, withReaperWorld } from '../reaper/reaper-world.ts';

const metricLines = (lines: Record<string, unknown>[], metric: string) => lines.filter((line) => line['metric'] === metric);

test('a VM the reaper deletes counts its life in VM-seconds, the removal by its reason, and the fleet against the cap', withReaperWorld(async (t, w) => {
  const [leaked, live] = [ourName(), ourName()];
  await w.vm(leaked, { execution: 'exec-ended' });
  await w.vm(live, { execution: 'exec-live' });
  w.executions.set('exec-ended', 'ENDED');
  w.executions.set('exec-live', 'ACTIVE');
  w.clock.advance(11 * MINUTE);
  // The step adapter reads the reaper's result, as it does after POST /steps/reap-vms.
  emitStepMetrics('reap-vms', {}, await reapVms({}, w.deps), 0, w.deps);
  const lines = w.logs.lines();
  const [deleted] = metricLines(lines, 'vm_deleted');
  t.like(deleted, { template: 'linux', runnerName: leaked, spot: false });
  t.true(Math.abs(Number(deleted?.['vmSeconds']) - 11 * 60) < 2, `the VM lived 11 minutes by the shared clock: ${deleted?.['vmSeconds']}`);
  t.true(Number(deleted?.['costUsd']) > 0);
  t.like(metricLines(lines, 'fleet_size')[0], { template: 'linux', vms: 2 });
  t.deepEqual(metricLines(lines, 'reaper_action').map((line) => [line['action'], line['reason']]), [['vm_removed', 'execution_ended']]);
}));

test('a reaper run stopped early by GitHub\'s rate limit counts as a rate-limit wait of the time GitHub asked for', withReaperWorld(async (t, w) => {
  const name = ourName();
  await w.vm(name, { execution: 'exec-ended' });
  w.runner({ owner: 'acme' }, name);
  w.executions.set('exec-ended', 'ENDED');
  w.clock.advance(11 * MINUTE);
  w.github.fail({ method: 'GET', path: '/orgs/:org/actions/runners', status: 429, headers: { 'retry-after': '120' }, times: 5 });
  const result = await reapVms({}, w.deps);
  t.truthy(result.stoppedEarly, JSON.stringify(result));
  emitStepMetrics('reap-vms', {}, result, 0, w.deps);
  t.deepEqual(metricLines(w.logs.lines(), 'rate_limited').map((line) => [line['service'], line['waitSeconds'], line['step']]), [['github', 120, 'reap-vms']]);
}));
