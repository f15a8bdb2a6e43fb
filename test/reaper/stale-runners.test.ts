import test from 'ava';
import { findStaleRunners } from '../../handlers/reaper/find-stale-runners.ts';
import { removeStaleRunners } from '../../handlers/reaper/remove-stale-runners.ts';
import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';
import { MINUTE, ourName, reaperTemplates, withReaperWorld } from './reaper-world.ts';

const GRACE_MS = 30 * MINUTE;

test('an offline runner of ours with no VM is removed at the second look, a grace later', withReaperWorld(async (t, w) => {
  const [orgRunner, repoRunner] = [ourName(), ourName()];
  const org = w.runner({ owner: 'acme' }, orgRunner);
  const repo = w.runner({ owner: 'jane', repo: 'tools' }, repoRunner);
  const seen = await findStaleRunners({}, w.deps);
  t.like(seen, { scopes: 2, found: 2, kept: {}, errors: [], stoppedEarly: null });
  t.deepEqual(seen.candidates, [
    { installationId: w.acme, owner: 'acme', repo: null, runnerId: org.id, name: orgRunner },
    { installationId: w.jane, owner: 'jane', repo: 'tools', runnerId: repo.id, name: repoRunner },
  ]);
  t.deepEqual(w.runnerNames(), [orgRunner, repoRunner].sort(), 'the first look removes nothing');
  w.clock.advance(GRACE_MS);
  const removal = await removeStaleRunners({ observedAt: seen.observedAt, candidates: seen.candidates, graceSeconds: 1800 }, w.deps);
  t.deepEqual(removal.removed.map((removed) => [removed.name, removed.scope]), [[orgRunner, 'acme'], [repoRunner, 'jane/tools']]);
  t.regex(removal.removed[0]?.why ?? '', /^offline and idle with no VM at .* and still 18\d\d s later$/);
  t.deepEqual(w.runnerNames(), []);
  w.assertNoSecrets(t, seen, removal);
}));

test('an online runner, a busy one, one with a VM and one not named as ours are never candidates', withReaperWorld(async (t, w) => {
  const withVm = ourName();
  w.runner({ owner: 'acme' }, ourName(), { online: true });
  w.runner({ owner: 'acme' }, ourName(), { busy: true });
  w.runner({ owner: 'acme' }, withVm);
  await w.vm(withVm);
  w.runner({ owner: 'acme' }, 'build-box-7');
  w.runner({ owner: 'acme' }, 'ghr-not-our-shape');
  const seen = await findStaleRunners({}, w.deps);
  t.like(seen, { found: 3, candidates: [], kept: { online: 1, busy: 1, 'has a VM': 1 } });
}));

test('a runner that comes online, gets a VM or is registered again between the looks is kept', withReaperWorld(async (t, w) => {
  const [comesOnline, getsVm, reRegistered, gone] = [ourName(), ourName(), ourName(), ourName()];
  const online = w.runner({ owner: 'acme' }, comesOnline);
  w.runner({ owner: 'acme' }, getsVm);
  const first = w.runner({ owner: 'acme' }, reRegistered);
  const vanishing = w.runner({ owner: 'acme' }, gone);
  const seen = await findStaleRunners({}, w.deps);
  t.is(seen.candidates.length, 4);
  online.status = 'online';
  await w.vm(getsVm);
  await w.deps.github.deleteRunner({ installationId: w.acme, owner: 'acme' }, first.id);
  w.runner({ owner: 'acme' }, reRegistered);
  await w.deps.github.deleteRunner({ installationId: w.acme, owner: 'acme' }, vanishing.id);
  w.clock.advance(GRACE_MS);
  const removal = await removeStaleRunners({ observedAt: seen.observedAt, candidates: seen.candidates }, w.deps);
  t.deepEqual(removal, {
    removed: [],
    skipped: [],
    kept: { 'came online': 1, 'has a VM now': 1, 'registered again since': 1, 'already gone': 1 },
    stoppedEarly: null,
  });
  t.deepEqual(w.runnerNames(), [comesOnline, getsVm, reRegistered].sort());
}));

test('a runner that takes a job just before its delete (GitHub 422) is kept as busy', withReaperWorld(async (t, w) => {
  const name = ourName();
  w.runner({ owner: 'acme' }, name);
  const seen = await findStaleRunners({}, w.deps);
  w.github.fail({ method: 'DELETE', path: '/orgs/:org/actions/runners/:id', status: 422 });
  w.clock.advance(GRACE_MS);
  t.like(await removeStaleRunners({ observedAt: seen.observedAt, candidates: seen.candidates }, w.deps), { removed: [], skipped: [], kept: { busy: 1 } });
  t.deepEqual(w.runnerNames(), [name]);
}));

test('the second look removes nothing before the grace has passed', withReaperWorld(async (t, w) => {
  w.runner({ owner: 'acme' }, ourName());
  const seen = await findStaleRunners({}, w.deps);
  w.clock.advance(10 * MINUTE);
  w.github.clearRequests();
  const removal = await removeStaleRunners({ observedAt: seen.observedAt, candidates: seen.candidates, graceSeconds: 1800 }, w.deps);
  t.deepEqual(removal.removed, []);
  t.deepEqual(Object.values(removal.kept), [1]);
  t.regex(Object.keys(removal.kept)[0] ?? '', /^looked again after 6\d\d s, before the 1800 s grace$/);
  t.deepEqual(w.github.requests(), []);
}));

test('a secondary rate limit while listing ends the first look early, says so, and asks no more', withReaperWorld(async (t, w) => {
  w.runner({ owner: 'acme' }, ourName());
  w.runner({ owner: 'jane', repo: 'tools' }, ourName());
  w.github.fail({ method: 'GET', path: '/orgs/:org/actions/runners', status: 403, times: 5 });
  const seen = await findStaleRunners({}, w.deps);
  t.like(seen, { candidates: [], stoppedEarly: { retryAfterSeconds: 60 } });
  t.regex(seen.stoppedEarly?.reason ?? '', /secondary rate limit/);
  t.false(w.github.requests().some((request) => request.path.startsWith('/repos/')), 'the user\'s scopes were not asked after the limit');
}));

test('installation tokens are minted once per installation, however many runs ask', withReaperWorld(async (t, w) => {
  w.runner({ owner: 'acme' }, ourName(), { online: true });
  w.runner({ owner: 'jane', repo: 'tools' }, ourName(), { online: true });
  for (let run = 0; run < 3; run += 1) await findStaleRunners({}, w.deps);
  t.is(w.github.tokensMinted(), 2);
}));

test('with a template registering runners on repositories, an organization\'s repositories are looked at too', withReaperWorld(async (t, w) => {
  const perRepo = parseTemplatesFile(reaperTemplates.replace(/templates:\n/, 'templates:\n  - name: per-repo\n    labels: [self-hosted, per-repo]\n    runnerScope: repository\n'));
  const [atOrg, atRepo] = [ourName(), ourName()];
  w.runner({ owner: 'acme' }, atOrg);
  w.runner({ owner: 'acme', repo: 'app' }, atRepo);
  const orgOnly = await findStaleRunners({}, w.deps);
  t.deepEqual(orgOnly.candidates.map((candidate) => candidate.name), [atOrg], 'without such a template, only the organization is listed');
  const seen = await findStaleRunners({}, { ...w.deps, templates: perRepo });
  t.deepEqual(seen.candidates.map((candidate) => [candidate.name, candidate.repo]), [[atOrg, null], [atRepo, 'app']]);
  w.clock.advance(GRACE_MS);
  const removal = await removeStaleRunners({ observedAt: seen.observedAt, candidates: seen.candidates }, { ...w.deps, templates: perRepo });
  t.deepEqual(removal.removed.map((removed) => removed.scope).sort(), ['acme', 'acme/app']);
  t.false(w.runnerNames().includes(atRepo));
}));
