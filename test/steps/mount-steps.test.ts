import test from 'ava';
import { buildApp } from '../../handlers/app.ts';
import type { Compute } from '../../handlers/compute/compute.ts';
import { steps } from '../../handlers/steps/index.ts';
import { mountSteps } from '../../handlers/steps/mount-steps.ts';
import type { StepDeps } from '../../handlers/steps/step-deps.ts';
import { listen } from '../helpers/listen.ts';
import { withWorld, type StepWorld } from './step-world.ts';

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** The steps service as main.ts mounts it, on a free port; every answer is kept for the secrets check. */
async function serve(w: StepWorld, deps: StepDeps = w.deps) {
  const app = buildApp({ log: w.logs.log, routers: [mountSteps(steps, deps)], isReady: () => true });
  const server = await listen(app);
  const post = async (name: string, body: unknown, raw?: string): Promise<Answer> => {
    const response = await fetch(`${server.url}/steps/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw ?? JSON.stringify(body),
    });
    const text = await response.text();
    w.expose(text);
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as unknown };
  };
  return { post, url: server.url, close: server.close };
}

test('each step answers 200 with its JSON result, through a whole job', withWorld(async (t, w) => {
  const server = await serve(w);
  t.teardown(server.close);
  const job = await w.queueJob();
  const plan = await server.post('validate', job);
  t.is(plan.status, 200);
  t.like(plan.body, { proceed: true, runnerName: w.runnerNameOf(job) });
  const runnerName = w.runnerNameOf(job);
  const token = await server.post('mint-token', { ...job, runnerName });
  t.is(token.status, 200);
  const { runnerId, sealedJitConfig } = token.body as { runnerId: number; sealedJitConfig: string };
  const callbackUrl = 'http://127.0.0.1:1/callbacks/c1';
  const vm = await server.post('create-vm', { ...job, runnerName, sealedJitConfig, callbackUrl, executionId: 'exec-1' });
  t.deepEqual({ status: vm.status, body: vm.body }, { status: 200, body: { status: 'created', runnerName, zone: 'us-central1-a', spot: false } });
  const removal = await server.post('delete-vm', { ...job, runnerName, runnerId });
  t.deepEqual({ status: removal.status, body: removal.body }, { status: 200, body: { runnerName, runner: 'deleted', vm: 'deleted', zone: 'us-central1-a' } });
  t.regex(plan.headers.get('content-type') ?? '', /^application\/json/);
}));

test('an unknown step is 404', withWorld(async (t, w) => {
  const server = await serve(w);
  t.teardown(server.close);
  const answer = await server.post('reboot-vm', {});
  t.deepEqual({ status: answer.status, body: answer.body }, { status: 404, body: { error: { kind: 'not_found', message: 'no step named reboot-vm' } } });
}));

test('a name inherited by every object is not a step', withWorld(async (t, w) => {
  const server = await serve(w);
  t.teardown(server.close);
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) t.is((await server.post(name, {})).status, 404, name);
}));

test('bad input is 400 with kind invalid', withWorld(async (t, w) => {
  const server = await serve(w);
  t.teardown(server.close);
  const answer = await server.post('validate', { owner: 'acme' });
  t.is(answer.status, 400);
  t.like(answer.body, { error: { kind: 'invalid' } });
  t.regex((answer.body as { error: { message: string } }).error.message, /^bad step input: /);
}));

test('a body that is not JSON is 400 and no step runs', withWorld(async (t, w) => {
  const server = await serve(w);
  t.teardown(server.close);
  const answer = await server.post('validate', undefined, '{"owner": ');
  t.is(answer.status, 400);
  t.deepEqual(w.github.requests(), []);
}));

test('a template at capacity is 429', withWorld(async (t, w) => {
  const server = await serve(w);
  t.teardown(server.close);
  await w.preCreateVm('ghr-linux-1-1', 'linux');
  await w.preCreateVm('ghr-linux-2-1', 'linux');
  const answer = await server.post('validate', await w.queueJob());
  t.is(answer.status, 429);
  t.deepEqual(answer.body, { error: { kind: 'capacity', message: 'template linux has 2 of 2 runners' } });
  t.is(answer.headers.get('retry-after'), null);
}));

test('GitHub answering 429 with Retry-After is 429 with a Retry-After header', withWorld(async (t, w) => {
  const server = await serve(w);
  t.teardown(server.close);
  const job = await w.queueJob();
  w.github.fail({ method: 'GET', path: '/repos/:owner/:repo/actions/jobs/:job_id', status: 429, headers: { 'retry-after': '30' } });
  const answer = await server.post('validate', job);
  t.is(answer.status, 429);
  t.is(answer.headers.get('retry-after'), '30');
  t.like(answer.body, { error: { kind: 'rate_limited' } });
}));

test('Compute answering 503 is 503', withWorld(async (t, w) => {
  const server = await serve(w);
  t.teardown(server.close);
  const { createInput } = await w.mint(await w.queueJob());
  w.compute.faults.inject({ call: 'insert', kind: 'unavailable' });
  const answer = await server.post('create-vm', createInput);
  t.is(answer.status, 503);
  t.like(answer.body, { error: { kind: 'unavailable' } });
}));

test('a runner still busy is not an error: delete-vm answers 200 with runner busy', withWorld(async (t, w) => {
  const server = await serve(w);
  t.teardown(server.close);
  const job = await w.queueJob();
  const runnerName = w.runnerNameOf(job);
  w.github.addRunner({ owner: 'acme' }, { name: runnerName, groupId: 3, labels: ['self-hosted'], online: true, busy: true });
  const answer = await server.post('delete-vm', { ...job, runnerName });
  t.is(answer.status, 200);
  t.like(answer.body, { runner: 'busy', vm: 'absent' });
}));

test('an unexpected error is a bare 500 that echoes nothing, and is logged scrubbed', withWorld(async (t, w) => {
  const token = 'ghs_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
  const failing = (): never => {
    throw new Error(`socket hang up talking to compute with token ${token} at /secret/path`);
  };
  // A fake of the external Compute API: the one kind of fake these tests allow.
  const broken: Compute = {
    insertInstance: async () => failing(),
    deleteInstance: async () => failing(),
    getInstance: async () => failing(),
    findInstance: async () => failing(),
    listInstances: async () => failing(),
  };
  const server = await serve(w, { ...w.deps, compute: broken });
  t.teardown(server.close);
  const answer = await server.post('validate', await w.queueJob());
  t.is(answer.status, 500);
  t.deepEqual(answer.body, { error: { kind: 'fatal', message: 'internal error' } });
  t.like(w.logs.lines().find((line) => line['message'] === 'step failed'), { severity: 'WARNING', step: 'validate' });
  t.false(w.logs.text().includes(token));
  t.false(w.logs.text().includes('ghs_'));
}));

test('a step that throws something that is not an Error is a bare 500 too', withWorld(async (t, w) => {
  const broken: Compute = { ...w.deps.compute, listInstances: () => Promise.reject('a string, not an Error') };
  const server = await serve(w, { ...w.deps, compute: broken });
  t.teardown(server.close);
  const answer = await server.post('validate', await w.queueJob());
  t.deepEqual({ status: answer.status, body: answer.body }, { status: 500, body: { error: { kind: 'fatal', message: 'internal error' } } });
}));

test('only POST is served: a GET of a step is 404', withWorld(async (t, w) => {
  const server = await serve(w);
  t.teardown(server.close);
  const response = await fetch(`${server.url}/steps/validate`);
  w.expose(await response.text());
  t.is(response.status, 404);
}));

// BUG: mount-steps logs `err: serializeError(error)`, and the logger's `err` serializer runs
// serializeError again on that plain object, so every "step failed" line reads
// `{"type":"object","message":"[object Object]"}`: the operator never learns why a step failed.
// Fix: log `err: error` and let the serializer do it once (see the report).
test('the log line of a failed step keeps the error kind and its scrubbed message', withWorld(async (t, w) => {
  const server = await serve(w);
  t.teardown(server.close);
  await w.preCreateVm('ghr-linux-1-1', 'linux');
  await w.preCreateVm('ghr-linux-2-1', 'linux');
  await server.post('validate', await w.queueJob());
  const failed = w.logs.lines().find((line) => line['message'] === 'step failed');
  t.like(failed, { step: 'validate', err: { type: 'RunnerError', kind: 'capacity', message: 'template linux has 2 of 2 runners' } });
}));
