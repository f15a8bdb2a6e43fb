import test from 'ava';
import type { Compute } from '../../handlers/compute/compute.ts';
import { isRetryable, RunnerError } from '../../handlers/errors.ts';
import { isReservedMetadataKey, ownLabelKeys } from '../../handlers/config/reserved-keys.ts';
import { createVm } from '../../handlers/steps/create-vm.ts';
import type { RecordedCall } from '../../simulators/compute/sim-types.ts';
import { defaultRunnerRelease } from '../../simulators/github/runner-releases.ts';
import { callbackUrl, withWorld, type StepWorld } from './step-world.ts';

interface InsertBody {
  readonly labels: Record<string, string>;
  readonly metadata: { items: { key: string; value: string }[] };
  readonly scheduling: { maxRunDuration?: { seconds?: string | number }; instanceTerminationAction?: string; provisioningModel?: string };
}

const inserts = (w: StepWorld) => w.compute.calls().filter((call) => call.call === 'insert');
const zoneOf = (call: RecordedCall | undefined) => /\/zones\/([^/]+)\//.exec(call?.path ?? '')?.[1];
const bodyOf = (call: RecordedCall | undefined) => call?.body as InsertBody;
const attemptsOf = (w: StepWorld) => inserts(w).map((call) => `${zoneOf(call)} ${bodyOf(call).scheduling.provisioningModel}`);

test('creates the VM in the first zone, labelled and carrying the unsealed JIT config, callback and bounds', withWorld(async (t, w) => {
  const job = await w.queueJob();
  const { createInput } = await w.mint(job, 'Exec-1');
  const result = await w.run(createVm, createInput);
  const runnerName = w.runnerNameOf(job);
  t.deepEqual(result, { status: 'created', runnerName, zone: 'us-central1-a', spot: false });
  const [insert] = inserts(w);
  t.is(inserts(w).length, 1);
  t.is(zoneOf(insert), 'us-central1-a');
  const body = bodyOf(insert);
  t.deepEqual(body.labels, {
    'managed-by': 'github-runner',
    template: 'linux',
    'job-id': String(job.jobId),
    'run-attempt': '1',
    execution: 'exec-1',
    owner: 'acme',
    repository: 'app',
  });
  const metadata = Object.fromEntries(body.metadata.items.map((item) => [item.key, item.value]));
  t.deepEqual(metadata, {
    'startup-script': 'echo hi',
    'jit-config': w.sealer.unseal(String(createInput['sealedJitConfig']), runnerName),
    'callback-url': callbackUrl,
    'idle-timeout': '300',
    'boot-deadline': '600',
    'runner-scope': 'acme',
    'installation-id': String(job.installationId),
    // The latest actions/runner release on the (simulated) GitHub, with each tarball's SHA-256.
    'runner-version': defaultRunnerRelease.version,
    'runner-sha256-x64': defaultRunnerRelease.sha256.x64!,
    'runner-sha256-arm64': defaultRunnerRelease.sha256.arm64!,
    'block-project-ssh-keys': 'TRUE',
    'enable-oslogin': 'TRUE',
    VmDnsSetting: 'ZonalOnly',
  });
  t.true(metadata['jit-config']!.startsWith('ey'));
  // idle 5 min + max 1 h + 10 min for boot and registration.
  t.is(Number(body.scheduling.maxRunDuration?.seconds), 300 + 3600 + 600);
  t.is(body.scheduling.instanceTerminationAction, 'DELETE');
  t.is(body.scheduling.provisioningModel, 'STANDARD');
  t.is(w.compute.instance(runnerName, 'us-central1-a')?.['name'], runnerName);
}));

test('calling it again with the same execution id is `exists`, with no second insert', withWorld(async (t, w) => {
  const { createInput } = await w.mint(await w.queueJob());
  const first = await w.run(createVm, createInput);
  const second = await w.run(createVm, createInput);
  t.deepEqual(second, { ...first, status: 'exists' });
  t.is(inserts(w).length, 1);
  t.is(w.compute.counts().live, 1);
}));

test('a VM of that name owned by another execution is `owned_by_other` and left alone', withWorld(async (t, w) => {
  const job = await w.queueJob();
  const { createInput } = await w.mint(job);
  await w.preCreateVm(w.runnerNameOf(job), 'linux', { zone: 'us-central1-b', execution: 'exec-other' });
  const result = await w.run(createVm, createInput);
  t.deepEqual(result, { status: 'owned_by_other', runnerName: w.runnerNameOf(job), zone: 'us-central1-b', spot: false });
  t.is(inserts(w).length, 1);
  t.is(w.compute.counts().live, 1);
}));

test('another execution inserting between the look-up and the insert is `owned_by_other` too', withWorld(async (t, w) => {
  const job = await w.queueJob();
  const { createInput } = await w.mint(job);
  // The real client, with the race a second execution would cause: its VM appears right after our look-up.
  const racing: Compute = {
    ...w.deps.compute,
    findInstance: async (name, zones) => {
      const found = await w.deps.compute.findInstance(name, zones);
      await w.preCreateVm(name, 'linux', { execution: 'exec-other' });
      return found;
    },
  };
  const result = await w.run(createVm, createInput, { ...w.deps, compute: racing });
  t.is(result.status, 'owned_by_other');
  t.is(w.compute.counts().inserted, 1);
}));

test('a stockout in zone a creates the VM in zone b', withWorld(async (t, w) => {
  const { createInput } = await w.mint(await w.queueJob());
  w.compute.faults.inject({ call: 'insert', zone: 'us-central1-a', kind: 'stockout' });
  const result = await w.run(createVm, createInput);
  t.like(result, { status: 'created', zone: 'us-central1-b', spot: false });
  t.deepEqual(attemptsOf(w), ['us-central1-a STANDARD', 'us-central1-b STANDARD']);
  t.regex(w.logs.text(), /no capacity in zone, trying the next/);
}));

test('a quota refused on the call in zone a creates the VM in zone b', withWorld(async (t, w) => {
  const { createInput } = await w.mint(await w.queueJob());
  w.compute.faults.inject({ call: 'insert', zone: 'us-central1-a', kind: 'quota' });
  t.like(await w.run(createVm, createInput), { status: 'created', zone: 'us-central1-b' });
}));

test('a spot template with no spot capacity anywhere falls back to on-demand', withWorld(async (t, w) => {
  const job = await w.queueJob({ templateName: 'spot' });
  const { createInput } = await w.mint(job);
  w.compute.faults.inject({ call: 'insert', kind: 'stockout', times: 2 });
  const result = await w.run(createVm, createInput);
  t.deepEqual(result, { status: 'created', runnerName: w.runnerNameOf(job), zone: 'us-central1-a', spot: false });
  t.deepEqual(attemptsOf(w), ['us-central1-a SPOT', 'us-central1-b SPOT', 'us-central1-a STANDARD']);
  const stored = w.compute.instance(w.runnerNameOf(job), 'us-central1-a')?.['scheduling'] as InsertBody['scheduling'] | undefined;
  t.is(stored?.provisioningModel, 'STANDARD');
}));

test('a spot template creates a spot VM when there is capacity', withWorld(async (t, w) => {
  const { createInput } = await w.mint(await w.queueJob({ templateName: 'spot' }));
  t.like(await w.run(createVm, createInput), { status: 'created', zone: 'us-central1-a', spot: true });
  t.deepEqual(attemptsOf(w), ['us-central1-a SPOT']);
}));

test('a spot-only template with no spot capacity is capacity, never on-demand', withWorld(async (t, w) => {
  const { createInput } = await w.mint(await w.queueJob({ templateName: 'spot-only' }));
  w.compute.faults.inject({ call: 'insert', kind: 'stockout', times: Infinity });
  const error = await t.throwsAsync(w.run(createVm, createInput), { instanceOf: RunnerError });
  t.is(error.kind, 'capacity');
  t.deepEqual(attemptsOf(w), ['us-central1-a SPOT', 'us-central1-b SPOT']);
}));

test('no capacity in any zone is capacity (429), naming every zone tried', withWorld(async (t, w) => {
  const { createInput } = await w.mint(await w.queueJob());
  w.compute.faults.inject({ call: 'insert', kind: 'stockout', times: Infinity });
  const error = await t.throwsAsync(w.run(createVm, createInput), { instanceOf: RunnerError });
  t.is(error.kind, 'capacity');
  t.is(error.status, 429);
  t.regex(error.message, /us-central1-a: .*; us-central1-b: /);
  t.is(w.compute.counts().live, 0);
}));

test('a 503 on insert is unavailable (retryable), and the retried step makes one VM', withWorld(async (t, w) => {
  const { createInput } = await w.mint(await w.queueJob());
  w.compute.faults.inject({ call: 'insert', kind: 'unavailable' });
  const error = await t.throwsAsync(w.run(createVm, createInput), { instanceOf: RunnerError });
  t.is(error.kind, 'unavailable');
  t.true(isRetryable(error.kind));
  t.is(error.status, 503);
  t.is(w.compute.counts().live, 0);
  t.like(await w.run(createVm, createInput), { status: 'created', zone: 'us-central1-a' });
  t.is(w.compute.counts().inserted, 1);
}));

test('a sealed config made for another runner is invalid, and nothing is inserted', withWorld(async (t, w) => {
  const { createInput } = await w.mint(await w.queueJob());
  const { minted } = await w.mint(await w.queueJob());
  const error = await t.throwsAsync(w.run(createVm, { ...createInput, sealedJitConfig: minted.sealedJitConfig }), { instanceOf: RunnerError });
  t.is(error.kind, 'invalid');
  t.is(inserts(w).length, 0);
}));

test('a sealed config from another key, or not sealed at all, is invalid', withWorld(async (t, w) => {
  const job = await w.queueJob();
  const { createInput } = await w.mint(job);
  for (const sealedJitConfig of ['v1.AAAA.BBBB.CCCC', 'eyJub3Qtc2VhbGVkIjp0cnVlfQ==']) {
    const error = await t.throwsAsync(w.run(createVm, { ...createInput, sealedJitConfig }), { instanceOf: RunnerError });
    t.is(error.kind, 'invalid');
  }
  t.is(inserts(w).length, 0);
}));

for (const [what, patch] of [
  ['a callback that is not a URL', { callbackUrl: 'not a url' }],
  ['no execution id', { executionId: '' }],
  ['no sealed config', { sealedJitConfig: undefined }],
] as const) {
  test(`bad input is invalid: ${what}`, withWorld(async (t, w) => {
    const { createInput } = await w.mint(await w.queueJob());
    const error = await t.throwsAsync(w.run(createVm, { ...createInput, ...patch }), { instanceOf: RunnerError });
    t.is(error.kind, 'invalid');
    t.is(w.compute.calls().length, 0);
  }));
}

test('when GitHub cannot say which runner is current, the VM is still created and uses its image runner', withWorld(async (t, w) => {
  w.github.fail({ method: 'GET', path: '/repos/actions/runner/releases/latest', status: 503, times: 5 });
  const job = await w.queueJob();
  const { createInput } = await w.mint(job);
  const result = await w.run(createVm, createInput);
  t.is(result.status, 'created');
  const metadata = w.vmMetadata(w.runnerNameOf(job));
  t.false('runner-version' in metadata);
  t.false(Object.keys(metadata).some((key) => key.startsWith('runner-sha256')));
  t.regex(w.logs.text(), /none is recorded: VMs use the runner of their image/);
}));

test('cost labels carry owner, repository and template as GCE allows: lowercase, [a-z0-9_-], at most 63 characters', withWorld(async (t, w) => {
  // https://cloud.google.com/compute/docs/labeling-resources#requirements
  const job = await w.queueJob({ owner: 'Acme.Corp', repo: `My.Repo_${'x'.repeat(80)}` });
  const { createInput } = await w.mint(job);
  await w.run(createVm, createInput);
  const labels = bodyOf(inserts(w)[0]).labels;
  t.is(labels['owner'], 'acme-corp');
  t.is(labels['repository'], `my-repo_${'x'.repeat(55)}`);
  t.is(labels['template'], 'linux');
  for (const value of Object.values(labels)) t.regex(value, /^[a-z0-9_-]{0,63}$/);
}));

test('every label create-vm sets is one a template\'s vmLabels may not set', withWorld(async (t, w) => {
  const { createInput } = await w.mint(await w.queueJob());
  await w.run(createVm, createInput);
  for (const key of Object.keys(bodyOf(inserts(w)[0]).labels)) t.true(ownLabelKeys.includes(key), key);
}));

test('every metadata key on a runner VM is one a template\'s metadata may not set', withWorld(async (t, w) => {
  const { createInput } = await w.mint(await w.queueJob());
  await w.run(createVm, createInput);
  for (const item of bodyOf(inserts(w)[0]).metadata.items) t.true(isReservedMetadataKey(item.key), item.key);
}));
