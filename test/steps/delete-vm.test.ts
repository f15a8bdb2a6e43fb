import test from 'ava';
import { RunnerError } from '../../handlers/errors.ts';
import { createVm } from '../../handlers/steps/create-vm.ts';
import { deleteVm } from '../../handlers/steps/delete-vm.ts';
import { withWorld, type JobInput, type StepWorld } from './step-world.ts';

/** A job that went through mint-token and create-vm, as delete-vm finds it at the end of an execution. */
async function jobWithVm(w: StepWorld, options: { owner?: string; repo?: string } = {}) {
  const job = await w.queueJob(options);
  const { minted, createInput } = await w.mint(job);
  const vm = await w.run(createVm, createInput);
  return { job, runnerName: minted.runnerName, runnerId: minted.runnerId, zone: vm.zone };
}

const deleteInput = (job: JobInput, runnerName: string, runnerId?: number | null) =>
  runnerId === undefined ? { ...job, runnerName } : { ...job, runnerName, runnerId };

const runnerCalls = (w: StepWorld) =>
  w.github.requests().filter((request) => request.path.includes('/actions/runners')).map((request) => `${request.method} ${request.path} ${request.status}`);

/** Whether GitHub still listed the runner at the moment Compute began deleting the VM. */
function watchDeletion(w: StepWorld, runnerName: string) {
  const seen: boolean[] = [];
  w.compute.onInstanceStatus((event) => {
    if (event.name === runnerName && (event.status === 'STOPPING' || event.status === 'DELETED')) {
      seen.push(w.github.runners().some((runner) => runner.name === runnerName));
    }
  });
  return { runnerListedWhenVmWent: () => seen[0] };
}

test('deregisters the runner first, then deletes the VM', withWorld(async (t, w) => {
  const { job, runnerName, runnerId, zone } = await jobWithVm(w);
  const watch = watchDeletion(w, runnerName);
  w.github.clearRequests();
  const result = await w.run(deleteVm, deleteInput(job, runnerName, runnerId));
  t.deepEqual(result, { runnerName, runner: 'deleted', vm: 'deleted', zone });
  t.false(watch.runnerListedWhenVmWent());
  t.deepEqual(runnerCalls(w), [`DELETE /orgs/acme/actions/runners/${runnerId} 204`]);
  t.is(w.compute.counts().live, 0);
  t.is(w.compute.counts().deleted, 1);
  t.false(w.github.runners().some((runner) => runner.name === runnerName));
}));

test('a user-owned repository\'s runner is deregistered at repository scope', withWorld(async (t, w) => {
  const { job, runnerName, runnerId } = await jobWithVm(w, { owner: 'jane', repo: 'tools' });
  w.github.clearRequests();
  t.like(await w.run(deleteVm, deleteInput(job, runnerName, runnerId)), { runner: 'deleted', vm: 'deleted' });
  t.deepEqual(runnerCalls(w), [`DELETE /repos/jane/tools/actions/runners/${runnerId} 204`]);
}));

test('a runner and VM both already gone are absent/absent (a re-run of the step)', withWorld(async (t, w) => {
  const { job, runnerName, runnerId } = await jobWithVm(w);
  await w.run(deleteVm, deleteInput(job, runnerName, runnerId));
  const again = await w.run(deleteVm, deleteInput(job, runnerName, runnerId));
  t.deepEqual(again, { runnerName, runner: 'absent', vm: 'absent', zone: null });
  t.is(w.compute.counts().deleteCalls, 1);
}));

test('with nothing ever made and no runner id, both halves are absent', withWorld(async (t, w) => {
  const job = await w.queueJob();
  const result = await w.run(deleteVm, deleteInput(job, w.runnerNameOf(job), null));
  t.deepEqual(result, { runnerName: w.runnerNameOf(job), runner: 'absent', vm: 'absent', zone: null });
  t.is(w.compute.calls().filter((call) => call.call === 'delete').length, 0);
}));

test('a runner still busy (GitHub 422) leaves the VM deleted and the runner busy', withWorld(async (t, w) => {
  const { job, runnerName, runnerId } = await jobWithVm(w);
  // The VM's runner connects and takes the job, as it would when the job outlives its maximum.
  const { job: taken } = await w.github.runnerConnect(w.vmMetadata(runnerName)['jit-config'] ?? '');
  t.is(taken?.id, job.jobId);
  w.github.clearRequests();
  const result = await w.run(deleteVm, deleteInput(job, runnerName, runnerId));
  t.like(result, { runner: 'busy', vm: 'deleted' });
  t.is(w.compute.counts().live, 0);
  // Once before the VM goes, once after: a runner whose VM is gone may be released by then.
  t.deepEqual(runnerCalls(w), [`DELETE /orgs/acme/actions/runners/${runnerId} 422`, `DELETE /orgs/acme/actions/runners/${runnerId} 422`]);
}));

test('a runner busy at first but released once its VM is gone is deleted on the second try', withWorld(async (t, w) => {
  const { job, runnerName, runnerId } = await jobWithVm(w);
  w.github.fail({ method: 'DELETE', path: '/orgs/:org/actions/runners/:id', status: 422 });
  t.like(await w.run(deleteVm, deleteInput(job, runnerName, runnerId)), { runner: 'deleted', vm: 'deleted' });
  t.deepEqual(w.github.runners(), []);
}));

test('without a runner id the runner is found by name and deregistered', withWorld(async (t, w) => {
  const job = await w.queueJob();
  const runnerName = w.runnerNameOf(job);
  const stale = w.github.addRunner({ owner: 'acme' }, { name: runnerName, groupId: 3, labels: ['self-hosted'] });
  await w.preCreateVm(runnerName, 'linux', { zone: 'us-central1-b', execution: 'exec-1' });
  const result = await w.run(deleteVm, deleteInput(job, runnerName));
  t.deepEqual(result, { runnerName, runner: 'deleted', vm: 'deleted', zone: 'us-central1-b' });
  const calls = w.github.requests().filter((request) => request.path.includes('/actions/runners'));
  t.is(calls[0]?.query['name'], runnerName);
  t.deepEqual(runnerCalls(w), ['GET /orgs/acme/actions/runners 200', `DELETE /orgs/acme/actions/runners/${stale.id} 204`]);
}));

test('a null runner id (mint-token never ran) also looks the runner up by name', withWorld(async (t, w) => {
  const { job, runnerName } = await jobWithVm(w);
  t.like(await w.run(deleteVm, deleteInput(job, runnerName, null)), { runner: 'deleted', vm: 'deleted' });
  t.deepEqual(w.github.runners(), []);
}));

test('a VM whose delete meets resourceNotReady is retried and deleted', withWorld(async (t, w) => {
  const { job, runnerName, runnerId } = await jobWithVm(w);
  w.compute.faults.inject({ call: 'delete', kind: 'not_ready', times: 2 });
  t.like(await w.run(deleteVm, deleteInput(job, runnerName, runnerId)), { runner: 'deleted', vm: 'deleted' });
}));

test('GitHub unavailable while deregistering: the VM is deleted all the same, then unavailable is raised for the retry', withWorld(async (t, w) => {
  const { job, runnerName, runnerId } = await jobWithVm(w);
  w.github.fail({ method: 'DELETE', path: '/orgs/:org/actions/runners/:id', status: 503 });
  const error = await t.throwsAsync(w.run(deleteVm, deleteInput(job, runnerName, runnerId)), { instanceOf: RunnerError });
  t.is(error.kind, 'unavailable');
  t.is(w.compute.counts().live, 0);
  t.like(await w.run(deleteVm, deleteInput(job, runnerName, runnerId)), { runner: 'deleted', vm: 'absent' });
}));

test('bad input is invalid, and nothing is called', withWorld(async (t, w) => {
  const job = await w.queueJob();
  w.github.clearRequests();
  for (const patch of [{ runnerName: 'Not-A-Name' }, { runnerId: 'r1' }, { templateName: 'windows' }]) {
    const error = await t.throwsAsync(w.run(deleteVm, { ...job, runnerName: w.runnerNameOf(job), ...patch }), { instanceOf: RunnerError });
    t.is(error.kind, 'invalid', JSON.stringify(patch));
  }
  t.deepEqual(w.github.requests(), []);
  t.is(w.compute.calls().length, 0);
}));

test('asked to remove the runner only if idle, a runner that has taken a job keeps its VM', withWorld(async (t, w) => {
  const { job, runnerName, runnerId } = await jobWithVm(w);
  const { job: taken } = await w.github.runnerConnect(w.vmMetadata(runnerName)['jit-config'] ?? '');
  t.is(taken?.id, job.jobId);
  w.github.clearRequests();
  const result = await w.run(deleteVm, { ...deleteInput(job, runnerName, runnerId), onlyIfIdle: true });
  t.deepEqual(result, { runnerName, runner: 'busy', vm: 'kept', zone: null });
  t.is(w.compute.counts().live, 1);
  t.is(w.compute.calls().filter((call) => call.call === 'delete').length, 0);
  t.deepEqual(runnerCalls(w), [`DELETE /orgs/acme/actions/runners/${runnerId} 422`]);
}));

test('asked to remove the runner only if idle, an idle runner goes with its VM', withWorld(async (t, w) => {
  const { job, runnerName, runnerId } = await jobWithVm(w);
  t.like(await w.run(deleteVm, { ...deleteInput(job, runnerName, runnerId), onlyIfIdle: true }), { runner: 'deleted', vm: 'deleted' });
  t.is(w.compute.counts().live, 0);
}));

test('the runner slot goes back once the VM is gone, so the next job of the template can start', withWorld(async (t, w) => {
  const { job, runnerName, runnerId } = await jobWithVm(w);
  await w.deps.slots.take('linux', runnerName, 1);
  t.like(await w.deps.slots.take('linux', 'ghr-linux-next-1', 1), { taken: false });
  t.like(await w.run(deleteVm, deleteInput(job, runnerName, runnerId)), { vm: 'deleted' });
  t.like(await w.deps.slots.take('linux', 'ghr-linux-next-1', 1), { taken: true });
}));
