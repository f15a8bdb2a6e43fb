import test from 'ava';
import { RunnerError } from '../../handlers/errors.ts';
import { createGitHubClient } from '../../handlers/github/create-github-client.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { appKey, startWorld } from './helpers.ts';

// Node's fetch cost ~1 ms of CPU per GitHub call (a third of a dispatched task's); this fails if the
// client goes back to it.
test('the GitHub client calls GitHub without fetch: minting, installation and App calls', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const original = globalThis.fetch;
  let fetched = 0;
  globalThis.fetch = (...args: Parameters<typeof fetch>) => ((fetched += 1), original(...args));
  try {
    await world.github.generateJitConfig(world.orgScope, { name: 'gh-1', runnerGroupId: 1, labels: ['linux'] });
    t.like(await world.github.findRunnerByName(world.orgScope, 'gh-1'), { name: 'gh-1' });
    t.true((await world.github.listInstallations()).length >= 2);
    t.is(await world.github.getJob({ ...world.orgScope, repo: 'api', jobId: 404 }), null, 'a 404 answer is read as fetch gives it');
  } finally {
    globalThis.fetch = original;
  }
  t.is(fetched, 0);
});

test('GitHub unreachable is unavailable (retried by the workflow), as with fetch', async (t) => {
  const github = createGitHubClient({ appId: 1, privateKey: appKey(), apiUrl: 'http://127.0.0.1:9', log: createMemoryLogger().log });
  const error = await t.throwsAsync(github.listInstallations(), { instanceOf: RunnerError });
  t.is(error.kind, 'unavailable');
  t.regex(error.message, /ECONNREFUSED/);
});
