import test from 'ava';
import { reapVms } from '../../handlers/reaper/reap-vms.ts';
import { MINUTE, ourName, withReaperWorld, type ReaperWorld } from './reaper-world.ts';

const runnerCalls = (w: ReaperWorld) =>
  w.github.requests().filter((request) => request.path.includes('/actions/runners')).map((request) => `${request.method} ${request.path} ${request.status}`);

test('a VM whose execution ended is deregistered on GitHub first, then deleted', withReaperWorld(async (t, w) => {
  const name = ourName();
  await w.vm(name, { execution: 'exec-ended' });
  const runner = w.runner({ owner: 'acme' }, name);
  w.executions.set('exec-ended', 'ENDED');
  const listedWhenVmWent: boolean[] = [];
  w.compute.onInstanceStatus((event) => {
    if (event.name === name && event.status === 'STOPPING') listedWhenVmWent.push(w.runnerNames().includes(name));
  });
  w.clock.advance(11 * MINUTE);
  const result = await reapVms({}, w.deps);
  t.deepEqual(result, {
    found: 1,
    removed: [{ name, zone: 'us-central1-a', why: 'its execution exec-ended has ended', runner: 'deleted', runnerScope: 'acme', vm: 'deleted' }],
    skipped: [],
    kept: {},
    freedSlots: [],
    stoppedEarly: null,
  });
  t.deepEqual(listedWhenVmWent, [false]);
  t.true(runnerCalls(w).includes(`DELETE /orgs/acme/actions/runners/${runner.id} 204`));
  t.deepEqual(w.vmNames(), []);
  t.deepEqual(w.runnerNames(), []);
  w.assertNoSecrets(t, result);
}));

test('a VM of an active execution is kept, and its runner too', withReaperWorld(async (t, w) => {
  const name = ourName();
  await w.vm(name, { execution: 'exec-live' });
  w.runner({ owner: 'acme' }, name, { online: true, busy: true });
  w.executions.set('exec-live', 'ACTIVE');
  w.clock.advance(30 * MINUTE);
  const result = await reapVms({}, w.deps);
  t.like(result, { found: 1, removed: [], skipped: [], kept: { 'execution active': 1 }, stoppedEarly: null });
  t.deepEqual(w.vmNames(), [name]);
  t.deepEqual(w.runnerNames(), [name]);
  t.deepEqual(runnerCalls(w), []);
}));

test('a VM younger than the boot grace is never touched, whether its execution ended or is unknown', withReaperWorld(async (t, w) => {
  const [ended, unknown] = [ourName(), ourName()];
  await w.vm(ended, { execution: 'exec-ended' });
  await w.vm(unknown, { execution: 'exec-lost' });
  w.executions.set('exec-ended', 'ENDED');
  w.clock.advance(9 * MINUTE);
  const result = await reapVms({}, w.deps);
  t.like(result, { found: 2, removed: [], skipped: [], kept: { booting: 2 } });
  t.deepEqual(w.asked, [], 'a booting VM is not even worth a question');
  t.deepEqual(w.vmNames(), [ended, unknown].sort());
}));

test('a VM whose execution is unknown is kept until its maximum age, then removed', withReaperWorld(async (t, w) => {
  const name = ourName();
  await w.vm(name, { execution: 'exec-lost' });
  w.clock.advance(60 * MINUTE);
  t.like(await reapVms({}, w.deps), { removed: [], kept: { 'execution unknown': 1 } });
  w.clock.advance(31 * MINUTE);
  const result = await reapVms({}, w.deps);
  t.is(result.removed.length, 1);
  t.regex(result.removed[0]?.why ?? '', /^54\d\d s old, past its maximum of 5400 s/);
  t.deepEqual(w.vmNames(), []);
}));

test('a VM past its maximum age is removed even while its execution is active', withReaperWorld(async (t, w) => {
  const name = ourName();
  await w.vm(name, { execution: 'exec-stuck' });
  w.runner({ owner: 'acme' }, name);
  w.executions.set('exec-stuck', 'ACTIVE');
  w.clock.advance(91 * MINUTE);
  const result = await reapVms({}, w.deps);
  t.like(result.removed[0], { name, runner: 'deleted', vm: 'deleted' });
  t.deepEqual(w.asked, [], 'age alone decides past the maximum');
  t.deepEqual([w.vmNames(), w.runnerNames()], [[], []]);
}));

test('a busy runner keeps its VM, and the result says why it was skipped', withReaperWorld(async (t, w) => {
  const name = ourName();
  await w.vm(name, { execution: 'exec-cancelled' });
  w.runner({ owner: 'acme' }, name, { online: true, busy: true });
  w.executions.set('exec-cancelled', 'ENDED');
  w.clock.advance(20 * MINUTE);
  const result = await reapVms({}, w.deps);
  t.deepEqual(result.removed, []);
  t.deepEqual(result.skipped, [{ name, why: 'its execution exec-cancelled has ended; but its runner is busy (GitHub 422): kept while it runs a job' }]);
  t.deepEqual([w.vmNames(), w.runnerNames()], [[name], [name]]);
}));

test('a runner that turns busy between the lookup and the delete (GitHub 422) keeps its VM', withReaperWorld(async (t, w) => {
  const name = ourName();
  await w.vm(name, { execution: 'exec-ended' });
  w.runner({ owner: 'acme' }, name);
  w.executions.set('exec-ended', 'ENDED');
  w.github.fail({ method: 'DELETE', path: '/orgs/:org/actions/runners/:id', status: 422 });
  w.clock.advance(20 * MINUTE);
  const result = await reapVms({}, w.deps);
  t.like(result, { removed: [], skipped: [{ name }] });
  t.deepEqual(w.vmNames(), [name]);
}));

test('a user-owned VM\'s runner is found on the installation\'s repositories and deregistered there', withReaperWorld(async (t, w) => {
  const name = ourName();
  await w.vm(name, { execution: 'exec-ended', owner: 'jane' });
  w.runner({ owner: 'jane', repo: 'other' }, ourName());
  w.runner({ owner: 'jane', repo: 'tools' }, name);
  w.executions.set('exec-ended', 'ENDED');
  w.clock.advance(20 * MINUTE);
  const result = await reapVms({}, w.deps);
  t.like(result.removed[0], { name, runner: 'deleted', runnerScope: 'jane/tools' });
  t.false(runnerCalls(w).some((call) => call.includes('/orgs/')), 'a user has no org-level runners to ask about');
  w.assertNoSecrets(t, result);
}));

test('the runner scope written in the VM\'s metadata is used directly: one lookup, no installation walk', withReaperWorld(async (t, w) => {
  const name = ourName();
  await w.vm(name, { execution: 'exec-ended', owner: 'jane', metadata: { 'runner-scope': 'jane/tools', 'installation-id': String(w.jane) } });
  const runner = w.runner({ owner: 'jane', repo: 'tools' }, name);
  w.executions.set('exec-ended', 'ENDED');
  w.clock.advance(20 * MINUTE);
  t.like((await reapVms({}, w.deps)).removed[0], { runnerScope: 'jane/tools' });
  const calls = w.github.requests().filter((request) => !request.path.includes('access_tokens')).map((request) => `${request.method} ${request.path}`);
  t.deepEqual(calls, ['GET /repos/jane/tools/actions/runners', `DELETE /repos/jane/tools/actions/runners/${runner.id}`]);
}));

test('a VM whose runner is already gone is still deleted', withReaperWorld(async (t, w) => {
  const name = ourName();
  await w.vm(name, { execution: 'exec-ended' });
  w.executions.set('exec-ended', 'ENDED');
  w.clock.advance(20 * MINUTE);
  t.like((await reapVms({}, w.deps)).removed[0], { name, runner: 'absent', runnerScope: null, vm: 'deleted' });
  t.deepEqual(w.vmNames(), []);
}));

test('a failure on one VM is reported, and the others are still removed', withReaperWorld(async (t, w) => {
  const [failing, fine] = [ourName(), ourName()];
  await w.vm(failing, { execution: 'exec-ended' });
  await w.vm(fine, { execution: 'exec-ended' });
  const bad = w.runner({ owner: 'acme' }, failing);
  w.runner({ owner: 'acme' }, fine);
  w.executions.set('exec-ended', 'ENDED');
  w.github.fail({ method: 'DELETE', path: `/orgs/acme/actions/runners/${bad.id}`, status: 500, times: 1 });
  w.clock.advance(20 * MINUTE);
  const result = await reapVms({}, w.deps);
  t.deepEqual(result.removed.map((removed) => removed.name), [fine]);
  t.is(result.skipped[0]?.name, failing);
  t.regex(result.skipped[0]?.why ?? '', /has ended; removal failed: unavailable: GitHub DELETE .* answered 500/);
  t.deepEqual(w.vmNames(), [failing]);
  t.deepEqual(w.asked, ['exec-ended'], 'one question per execution, however many VMs name it');
}));

test('a GitHub rate limit ends the run early, says so, and asks no more', withReaperWorld(async (t, w) => {
  for (const name of [ourName(), ourName(), ourName()]) await w.vm(name, { execution: 'exec-ended' });
  w.executions.set('exec-ended', 'ENDED');
  w.github.fail({ method: 'GET', path: '/orgs/:org/actions/runners', status: 429, headers: { 'retry-after': '42' }, times: 10 });
  w.clock.advance(20 * MINUTE);
  const result = await reapVms({}, w.deps);
  t.like(result, { found: 3, removed: [], skipped: [], stoppedEarly: { retryAfterSeconds: 42 } });
  t.regex(result.stoppedEarly?.reason ?? '', /^rate limited: GitHub GET \/orgs\/acme\/actions\/runners answered 429/);
  t.is(runnerCalls(w).length, 1, 'one refused call, not one per VM');
  t.is(w.vmNames().length, 3);
}));
