import { readFileSync } from 'node:fs';
import test from 'ava';
import express from 'express';
import { createReaperSteps, type ExecutionState } from '../../handlers/reaper/index.ts';
import { mountSteps } from '../../handlers/steps/mount-steps.ts';
import { ManualClock } from '../../workflows/engine/clock.ts';
import { EmbeddedEngine } from '../../workflows/engine/engine.ts';
import { listen } from '../helpers/listen.ts';
import { startStepWorld } from '../steps/step-world.ts';

const source = readFileSync(new URL('../../workflows/reaper.yaml', import.meta.url), 'utf8');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * reaper.yaml in the embedded engine, posting to the reaper steps mounted as the steps service
 * mounts them, against both simulators. The engine's clock is manual so that the half-hour wait
 * between the two runner looks takes no time; the steps read the same time, 20 minutes ahead of
 * the simulators, so the VMs made for the test are past their boot grace.
 */
test('a reaper execution removes what leaked and its result says what it found, removed and why', async (t) => {
  const world = await startStepWorld();
  t.teardown(world.close);
  const engineClock = new ManualClock(Date.now());
  const started = engineClock.now();
  const clock = { now: () => Date.now() + 20 * 60_000 + (engineClock.now() - started) };
  const executions = new Map<string, ExecutionState>([['exec-ended', 'ENDED'], ['exec-live', 'ACTIVE']]);
  const steps = createReaperSteps({ state: async (id) => executions.get(id) ?? 'UNKNOWN' }, { runnerNames: async () => new Set<string>() });
  const service = await listen(express().use(mountSteps(steps, { ...world.deps, clock })));
  t.teardown(service.close);
  await world.preCreateVm('ghr-linux-1-1', 'linux', { execution: 'exec-ended' });
  await world.preCreateVm('ghr-linux-2-1', 'linux', { execution: 'exec-live' });
  world.github.addRunner({ owner: 'acme' }, { name: 'ghr-linux-1-1', groupId: 3, labels: ['self-hosted'] });
  world.github.addRunner({ owner: 'acme' }, { name: 'ghr-linux-3-1', groupId: 3, labels: ['self-hosted'] });

  const engine = new EmbeddedEngine({ callbackBaseUrl: service.url, projectId: 'p', location: 'local', clock: engineClock });
  t.teardown(() => engine.stop());
  engine.deploy('reaper', source, 'workflows/reaper.yaml', { STEPS_URL: service.url });
  const id = engine.createExecution('reaper', '{}').name.split('/').pop()!;
  while (engineClock.pendingTimers === 0 && engine.getExecution(id)?.state === 'ACTIVE') await pause(10);
  t.deepEqual(world.github.runners().map((r) => r.name), ['ghr-linux-3-1'], 'the stale runner waits for the second look');
  await engineClock.advance(1800_000);
  const execution = await engine.awaitExecution(id);
  t.is(execution.state, 'SUCCEEDED', execution.error?.payload);
  const result = JSON.parse(execution.result ?? 'null') as Record<string, any>; // a workflow result: any JSON
  t.is(result['outcome'], 'completed');
  t.is(result['stoppedEarly'], null);
  t.like(result['vms'], { found: 2, kept: { 'execution active': 1 }, removed: [{ name: 'ghr-linux-1-1', why: 'its execution exec-ended has ended', runner: 'deleted' }] });
  t.like(result['deliveries'], { redelivered: [], stoppedEarly: null });
  t.like(result['runners'], { found: 1, candidates: [{ name: 'ghr-linux-3-1' }] });
  t.like(result['staleRunners'], { removed: [{ name: 'ghr-linux-3-1', scope: 'acme' }] });
  t.deepEqual(world.compute.instances().map((vm) => vm['name']), ['ghr-linux-2-1']);
  t.deepEqual(world.github.runners(), []);
  world.expose(execution.result ?? '');
  world.assertNoSecrets(t);
});
