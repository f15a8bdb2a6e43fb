import { execFileSync } from 'node:child_process';
import test from 'ava';

/** Runs a snippet in a fresh process: both values are read once, when their modules load. */
function inProcess(env: Record<string, string>): { name: string; parsed: unknown; other: unknown; label: unknown } {
  const script = `
    const { runnerNameFor, parseRunnerName } = await import('./handlers/runner-name.ts');
    const { managedByLabel } = await import('./handlers/steps/step-deps.ts');
    const name = runnerNameFor('linux', 123, 2);
    console.log(JSON.stringify({ name, parsed: parseRunnerName(name), other: parseRunnerName('ghr-linux-123-2'), label: managedByLabel }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return JSON.parse(out) as ReturnType<typeof inProcess>;
}

test('a deployment names its VMs with its own prefix and labels them with its own managed-by value', (t) => {
  const result = inProcess({ RUNNER_NAME_PREFIX: 'gh-runner-', MANAGED_BY_LABEL: 'gh-runner' });
  t.is(result.name, 'gh-runner--linux-123-2');
  t.deepEqual(result.parsed, { templateName: 'linux', jobId: 123, runAttempt: 2 });
  t.is(result.other, null, 'another deployment’s runner is not ours');
  t.deepEqual(result.label, { 'managed-by': 'gh-runner' });
});

test('without them, the names and label are the ones single-machine mode always used', (t) => {
  const result = inProcess({ RUNNER_NAME_PREFIX: '', MANAGED_BY_LABEL: '' });
  t.is(result.name, 'ghr-linux-123-2');
  t.deepEqual(result.label, { 'managed-by': 'github-runner' });
});
