import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { judgeByAge, judgeByExecution } from '../../handlers/reaper/vm-verdict.ts';
import { startLocalWorld, type LocalWorld } from '../../handlers/system/local-world.ts';
import { runHandsOn } from '../../scripts/hands-on/run-hands-on.ts';
import { handsOnTarget, type HandsOnTarget } from '../../scripts/hands-on/target.ts';

const templatesYaml = `
defaults:
  zones: [us-central1-a, us-central1-b]
templates:
  - name: x64-2core
    labels: [self-hosted, linux, x64, 2-core]
    vmLabels: { cost-centre: ci }
`;
const now = Date.parse('2026-12-04T10:00:00Z');

interface Bench {
  readonly world: LocalWorld;
  readonly env: Record<string, string>;
  readonly target: HandsOnTarget;
  /** Runs one CLI command in-process; returns what it wrote. */
  cli(...args: string[]): Promise<string[]>;
}

/** The two simulators, linked as `npm start` links them (a booted VM connects its runner), and the CLI's target built from the service's environment. */
async function bench(t: ExecutionContext): Promise<Bench> {
  const log = createMemoryLogger().log;
  const world = await startLocalWorld({ github: true, compute: true, log });
  const github = world.github!;
  github.install('acme');
  github.install('jane', 'User');
  const env = {
    COMPUTE_API_ENDPOINT: world.compute!.url, GITHUB_API_URL: github.url, GITHUB_APP_ID: String(github.appId),
    GITHUB_APP_PRIVATE_KEY: github.privateKey, RUNNER_TEMPLATES_YAML: templatesYaml, GOOGLE_CLOUD_PROJECT: 'runner-project',
  };
  const target = handsOnTarget(env, log);
  t.teardown(async () => {
    await target.close();
    await world.close();
  });
  let calls = 0;
  const cli = async (...args: string[]) => {
    const lines: string[] = [];
    // One second apart, as commands typed by hand are.
    await runHandsOn(args, target, (line) => lines.push(line), () => now + 1000 * calls++);
    return lines;
  };
  return { world, env, target, cli };
}

const metadataOf = (instance: Record<string, unknown> | null) =>
  Object.fromEntries(((instance?.['metadata'] as { items?: { key: string; value: string }[] })?.items ?? []).map((item) => [item.key, item.value]));

test('vms create registers a JIT runner with the template\'s labels and makes its VM, marked as made by hand', async (t) => {
  const { world, cli } = await bench(t);
  const [line] = await cli('vms', 'create', '--template', 'x64-2core', '--owner', 'acme');
  const name = `ghr-x64-2core-0-${now / 1000}`;
  t.regex(line ?? '', new RegExp(`^created ${name} in us-central1-a: runner \\d+ in acme with labels self-hosted,linux,x64,2-core$`));
  const vm = world.compute!.instance(name, 'us-central1-a');
  t.like(vm?.['labels'], { 'managed-by': 'github-runner', template: 'x64-2core', manual: 'true', owner: 'acme', 'cost-centre': 'ci' });
  t.false('execution' in (vm?.['labels'] as object), 'no execution: the reaper keeps it until its maximum age');
  const metadata = metadataOf(vm);
  t.like(metadata, { 'runner-scope': 'acme', 'block-project-ssh-keys': 'TRUE', 'enable-oslogin': 'TRUE', VmDnsSetting: 'ZonalOnly', 'idle-timeout': '600' });
  t.false('callback-url' in metadata, 'no execution to call back');
  const [runner] = world.github!.runners();
  t.like(runner, { name, scope: { owner: 'acme' } });
  t.deepEqual(runner!.labels.map((label) => label.name).sort(), ['2-core', 'linux', 'self-hosted', 'x64']);
});

test('a VM made by hand is kept by the reaper while young, and deleted once past its template\'s maximum age', async (t) => {
  const { target, cli } = await bench(t);
  await cli('vms', 'create', '--template', 'x64-2core', '--owner', 'acme');
  const [vm] = await target.compute.listInstances({ manual: 'true' });
  const created = Date.parse(vm!.createdAt);
  const young = judgeByAge(vm!, created + 30 * 60_000, target.templates) ?? judgeByExecution(vm!.labels['execution'], null);
  t.like(young, { reap: false, category: 'no execution label' });
  // 10 min idle + 6 h + the reaper's boot and overdue graces.
  t.like(judgeByAge(vm!, created + 8 * 3600_000, target.templates), { reap: true, category: 'past maximum age' });
});

test('vms list shows our VMs, runners list our runners, with how each was made and its state', async (t) => {
  const { world, cli } = await bench(t);
  await cli('vms', 'create', '--template', 'x64-2core', '--owner', 'acme');
  await cli('vms', 'create', '--template', 'x64-2core', '--owner', 'jane', '--repo', 'app');
  const vms = await cli('vms', 'list');
  t.is(vms.length, 2);
  for (const line of vms) t.regex(line, /^ghr-x64-2core-0-\d+ {2}us-central1-a {2}\S+ +x64-2core {2}\S+ {2}on-demand {2}manual$/);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const runners = await cli('runners', 'list');
  t.true(runners.some((line) => /^ghr-x64-2core-0-\d+ {2}\d+ {2}\w+ +idle {2}acme {2}self-hosted,linux,x64,2-core$/.test(line)), runners.join('\n'));
  t.true(runners.some((line) => line.includes('  jane/app  ')), runners.join('\n'));
  t.is(world.github!.runners().length, 2);
});

test('vms delete deregisters the runner, then deletes the VM', async (t) => {
  const { world, cli } = await bench(t);
  await cli('vms', 'create', '--template', 'x64-2core', '--owner', 'jane', '--repo', 'app');
  const name = `ghr-x64-2core-0-${now / 1000}`;
  t.deepEqual(await cli('vms', 'delete', name), [`${name}: runner deleted, VM deleted`]);
  t.is(world.compute!.instance(name, 'us-central1-a'), null);
  t.deepEqual(world.github!.runners(), []);
  await t.throwsAsync(cli('vms', 'delete', name), { message: `no VM of ours named ${name}` });
});

test('runners remove deregisters one runner; a user account needs --repo', async (t) => {
  const { world, cli } = await bench(t);
  await t.throwsAsync(cli('vms', 'create', '--template', 'x64-2core', '--owner', 'jane'), { message: /jane is a user account: .* add --repo/ });
  t.deepEqual(world.github!.runners(), [], 'nothing registered');
  await cli('vms', 'create', '--template', 'x64-2core', '--owner', 'acme');
  const name = `ghr-x64-2core-0-${now / 1000 + 1}`;
  t.deepEqual(await cli('runners', 'remove', name, '--owner', 'acme'), [`${name}: deleted`]);
  t.deepEqual(world.github!.runners(), []);
  await t.throwsAsync(cli('runners', 'remove', name, '--owner', 'acme'), { message: `no runner named ${name} in acme` });
});

test('when no zone can take the VM, its runner registration is removed again', async (t) => {
  const { world, cli } = await bench(t);
  world.compute!.faults.inject({ call: 'insert', kind: 'stockout', times: 2 });
  await t.throwsAsync(cli('vms', 'create', '--template', 'x64-2core', '--owner', 'acme'), { message: /no capacity for ghr-x64-2core-0-\d+: us-central1-a: .*; us-central1-b: / });
  t.deepEqual(world.github!.runners(), []);
  t.is(world.compute!.counts().live, 0);
});

test('bad commands name what is missing', async (t) => {
  const { cli } = await bench(t);
  await t.throwsAsync(cli('vms', 'create', '--template', 'x64-2core'), { message: /vms create needs --template and --owner/ });
  await t.throwsAsync(cli('vms', 'create', '--template', 'nope', '--owner', 'acme'), { message: /no template named nope/ });
  await t.throwsAsync(cli('vms', 'reboot'), { message: /unknown command: vms reboot/ });
});

test('npm run cli -- vms list works as a process, with the service\'s environment', async (t) => {
  const { env, cli } = await bench(t);
  await cli('vms', 'create', '--template', 'x64-2core', '--owner', 'acme');
  const root = new URL('../../', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import=tsx', 'scripts/cli.ts', 'vms', 'list'], { cwd: root, env: { ...process.env, ...env } });
  t.regex(stdout, /^ghr-x64-2core-0-\d+ {2}us-central1-a .* manual\n$/);
});

test('a VM of that name already there is an error, and the runner just registered is removed', async (t) => {
  const { world, env, cli } = await bench(t);
  await cli('vms', 'create', '--template', 'x64-2core', '--owner', 'acme');
  const again = handsOnTarget(env, createMemoryLogger().log);
  t.teardown(() => again.close());
  await t.throwsAsync(runHandsOn(['vms', 'create', '--template', 'x64-2core', '--owner', 'jane', '--repo', 'app'], again, () => {}, () => now), { message: /already exists/ });
  t.deepEqual(world.github!.runners().map((runner) => runner.scope), [{ owner: 'acme' }]);
});
