import test from 'ava';
import { createRequire } from 'node:module';
import { RunnerError } from '../../handlers/errors.ts';
import { runnersRoute, scopeForRepository, type RepositoryPayload } from '../../handlers/github/scope.ts';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as { name: string; examples: RepositoryPayload[] }[];
const workflowJob = examples.find((e) => e.name === 'workflow_job')?.examples ?? [];
const withInstallation = workflowJob.filter((p) => p.installation != null);
const byOwnerType = (type: string) => withInstallation.find((p) => p.repository.owner.type === type)!;

test('a repository owned by an organization gets org-level runners', (t) => {
  const payload = byOwnerType('Organization');
  t.deepEqual(scopeForRepository(payload), { installationId: payload.installation!.id, owner: payload.repository.owner.login });
});

test('a repository owned by a user gets repository-level runners', (t) => {
  const payload = byOwnerType('User');
  t.deepEqual(scopeForRepository(payload), {
    installationId: payload.installation!.id,
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
  });
});

test('a payload without an installation is refused as invalid', (t) => {
  const payload = workflowJob.find((p) => p.installation == null)!;
  t.is(t.throws(() => scopeForRepository(payload), { instanceOf: RunnerError })?.kind, 'invalid');
});

test('runner routes are org-level or repository-level by scope', (t) => {
  t.deepEqual(runnersRoute('DELETE', { installationId: 1, owner: 'o' }, '/{runner_id}'), {
    route: 'DELETE /orgs/{org}/actions/runners/{runner_id}',
    params: { org: 'o' },
  });
  t.deepEqual(runnersRoute('GET', { installationId: 1, owner: 'o', repo: 'r' }), {
    route: 'GET /repos/{owner}/{repo}/actions/runners',
    params: { owner: 'o', repo: 'r' },
  });
});
