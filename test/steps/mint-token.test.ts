import test from 'ava';
import { RunnerError } from '../../handlers/errors.ts';
import { mintToken } from '../../handlers/steps/mint-token.ts';
import { stepTemplates, withWorld, type StepWorld } from './step-world.ts';

const jitCalls = (w: StepWorld) => w.github.requests().filter((request) => request.path.endsWith('/generate-jitconfig'));

/** The encoded JIT config GitHub answered with, read from the simulator's record (the step never returns it). */
function answeredJitConfig(w: StepWorld): string {
  const answered = jitCalls(w).filter((request) => request.status === 201).at(-1);
  return String((answered?.responseBody as { encoded_jit_config?: unknown } | null)?.encoded_jit_config);
}

test('an org-owned repository gets an org-scope JIT runner with the template labels and runner group', withWorld(async (t, w) => {
  const job = await w.queueJob();
  const runnerName = w.runnerNameOf(job);
  const result = await w.run(mintToken, { ...job, runnerName });
  const [call] = jitCalls(w);
  t.is(call?.method, 'POST');
  t.is(call?.path, '/orgs/acme/actions/runners/generate-jitconfig');
  // Labels come from the template, lowercased (the file says `Linux`), never from the job.
  t.deepEqual(call?.body, { name: runnerName, runner_group_id: 3, labels: ['self-hosted', 'linux', 'x64'] });
  const runner = w.github.runners().find((candidate) => candidate.id === result.runnerId);
  t.deepEqual(runner?.scope, { owner: 'acme' });
  t.is(runner?.name, runnerName);
  t.is(runner?.groupId, 3);
}));

test('a user-owned repository gets a repository-scope JIT runner', withWorld(async (t, w) => {
  const job = await w.queueJob({ owner: 'jane', repo: 'tools' });
  const result = await w.run(mintToken, { ...job, runnerName: w.runnerNameOf(job) });
  t.deepEqual(jitCalls(w).map((request) => `${request.method} ${request.path}`), ['POST /repos/jane/tools/actions/runners/generate-jitconfig']);
  t.deepEqual(w.github.runners().find((candidate) => candidate.id === result.runnerId)?.scope, { owner: 'jane', repo: 'tools' });
}));

const repositoryScoped = stepTemplates.replace('templates:\n', 'templates:\n  - name: per-repo\n    labels: [self-hosted, linux, per-repo]\n    runnerScope: repository\n');

test('a template with runnerScope repository registers an org-owned job\'s runner on its repository, not the organization', withWorld(async (t, w) => {
  const job = await w.queueJob({ owner: 'acme', repo: 'app', templateName: 'per-repo' });
  const runnerName = w.runnerNameOf(job);
  const result = await w.run(mintToken, { ...job, runnerName });
  t.deepEqual(jitCalls(w).map((request) => `${request.method} ${request.path}`), ['POST /repos/acme/app/actions/runners/generate-jitconfig']);
  t.deepEqual(w.github.runners().find((candidate) => candidate.id === result.runnerId)?.scope, { owner: 'acme', repo: 'app' });
  const { job: taken } = await w.github.runnerConnect(w.sealer.unseal(result.sealedJitConfig, runnerName));
  t.is(taken?.id, job.jobId, 'a repository runner takes its repository\'s job');
}, { templates: repositoryScoped }));

test('the result has the runner id and a sealed config that opens for this runner name only', withWorld(async (t, w) => {
  const job = await w.queueJob();
  const runnerName = w.runnerNameOf(job);
  const result = await w.run(mintToken, { ...job, runnerName });
  const encoded = answeredJitConfig(w);
  t.true(encoded.length > 100);
  t.deepEqual(Object.keys(result).sort(), ['runnerId', 'runnerName', 'sealedJitConfig']);
  t.is(result.runnerName, runnerName);
  t.is(w.github.runners().find((runner) => runner.name === runnerName)?.id, result.runnerId);
  t.false(JSON.stringify(result).includes(encoded));
  t.is(w.sealer.unseal(result.sealedJitConfig, runnerName), encoded);
  const error = t.throws(() => w.sealer.unseal(result.sealedJitConfig, `${runnerName}0`), { instanceOf: RunnerError });
  t.is(error.kind, 'invalid');
}));

test('the runner the sealed config registers can take the job it was minted for', withWorld(async (t, w) => {
  const job = await w.queueJob();
  const runnerName = w.runnerNameOf(job);
  const result = await w.run(mintToken, { ...job, runnerName });
  const { job: taken } = await w.github.runnerConnect(w.sealer.unseal(result.sealedJitConfig, runnerName));
  t.is(taken?.id, job.jobId);
}));

test('a stale runner of the same name is removed and the mint succeeds', withWorld(async (t, w) => {
  const job = await w.queueJob();
  const runnerName = w.runnerNameOf(job);
  const stale = w.github.addRunner({ owner: 'acme' }, { name: runnerName, groupId: 3, labels: ['self-hosted'] });
  const result = await w.run(mintToken, { ...job, runnerName });
  t.not(result.runnerId, stale.id);
  t.deepEqual(w.github.runners().filter((runner) => runner.name === runnerName).map((runner) => runner.id), [result.runnerId]);
  const calls = w.github.requests().filter((request) => request.path.includes('/actions/runners'));
  t.deepEqual(calls.map((request) => `${request.method} ${request.path} ${request.status}`), [
    'POST /orgs/acme/actions/runners/generate-jitconfig 409',
    'GET /orgs/acme/actions/runners 200',
    `DELETE /orgs/acme/actions/runners/${stale.id} 204`,
    'POST /orgs/acme/actions/runners/generate-jitconfig 201',
  ]);
  t.is(w.sealer.unseal(result.sealedJitConfig, runnerName), answeredJitConfig(w));
}));

test('minting again for the same runner (a re-run of the step) replaces the first runner', withWorld(async (t, w) => {
  const job = await w.queueJob();
  const runnerName = w.runnerNameOf(job);
  const first = await w.run(mintToken, { ...job, runnerName });
  const second = await w.run(mintToken, { ...job, runnerName });
  t.not(second.runnerId, first.runnerId);
  t.deepEqual(w.github.runners().map((runner) => runner.id), [second.runnerId]);
}));

test('a stale runner still busy makes the mint fail as busy (retried by the workflow)', withWorld(async (t, w) => {
  const job = await w.queueJob();
  const runnerName = w.runnerNameOf(job);
  w.github.addRunner({ owner: 'acme' }, { name: runnerName, groupId: 3, labels: ['self-hosted'], online: true, busy: true });
  const error = await t.throwsAsync(w.run(mintToken, { ...job, runnerName }), { instanceOf: RunnerError });
  t.is(error.kind, 'busy');
}));

test('GitHub rate limiting the mint is rate_limited with its Retry-After', withWorld(async (t, w) => {
  const job = await w.queueJob();
  w.github.fail({ method: 'POST', path: '/orgs/:org/actions/runners/generate-jitconfig', status: 429, headers: { 'retry-after': '17' } });
  const error = await t.throwsAsync(w.run(mintToken, { ...job, runnerName: w.runnerNameOf(job) }), { instanceOf: RunnerError });
  t.is(error.kind, 'rate_limited');
  t.is(error.retryAfterSeconds, 17);
}));

test('a 502 from GitHub is unavailable (retried by the workflow)', withWorld(async (t, w) => {
  const job = await w.queueJob();
  w.github.fail({ method: 'POST', path: '/orgs/:org/actions/runners/generate-jitconfig', status: 502 });
  const error = await t.throwsAsync(w.run(mintToken, { ...job, runnerName: w.runnerNameOf(job) }), { instanceOf: RunnerError });
  t.is(error.kind, 'unavailable');
}));

for (const [what, patch] of [
  ['a runner name with capitals', { runnerName: 'GHR-linux-1-1' }],
  ['a runner name longer than 63 characters', { runnerName: `ghr-${'a'.repeat(60)}` }],
  ['no runner name', { runnerName: undefined }],
  ['a template that does not exist', { templateName: 'windows' }],
] as const) {
  test(`bad input is invalid, and GitHub is not called: ${what}`, withWorld(async (t, w) => {
    const job = await w.queueJob();
    w.github.clearRequests();
    const good = { ...job, runnerName: w.runnerNameOf(job) };
    const error = await t.throwsAsync(w.run(mintToken, { ...good, ...patch }), { instanceOf: RunnerError });
    t.is(error.kind, 'invalid');
    t.deepEqual(w.github.requests(), []);
  }));
}

test('the log names the runner but carries no JIT config', withWorld(async (t, w) => {
  const job = await w.queueJob();
  const runnerName = w.runnerNameOf(job);
  await w.run(mintToken, { ...job, runnerName });
  const line = w.logs.lines().find((entry) => entry['message'] === 'runner registered');
  t.like(line, { severity: 'INFO', runnerName, jobId: job.jobId });
  t.false(w.logs.text().includes(answeredJitConfig(w)));
}));
