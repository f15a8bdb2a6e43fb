import test from 'ava';
import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';
import { checkAccess } from '../../handlers/webhook/check-access.ts';
import { matchTemplate } from '../../handlers/webhook/match-template.ts';

const { templates } = parseTemplatesFile(`
templates:
  - {name: small, labels: [self-hosted, linux, x64, small]}
  - {name: gpu, labels: [self-hosted, linux, gpu-t4]}
`);

test('a job matches the first template that has every one of its labels, ignoring case', (t) => {
  t.is(matchTemplate(['Self-Hosted', 'LINUX'], templates)?.name, 'small');
  t.is(matchTemplate(['self-hosted', 'gpu-t4'], templates)?.name, 'gpu');
  t.is(matchTemplate(['linux', 'small', 'x64'], templates)?.name, 'small');
});

test('a job with a label no template has, or with no labels, matches nothing', (t) => {
  t.is(matchTemplate(['self-hosted', 'windows'], templates), null);
  t.is(matchTemplate(['ubuntu-latest'], templates), null);
  t.is(matchTemplate([], templates), null);
});

test('access: owners, the repository allowlist and public repositories', (t) => {
  const policy = { owners: ['octo-org'], repositories: ['octo-org/app'], publicRepositories: false };
  t.is(checkAccess({ owner: 'Octo-Org', fullName: 'Octo-Org/App', isPrivate: true }, policy), null);
  t.regex(checkAccess({ owner: 'other', fullName: 'other/app', isPrivate: true }, policy) ?? '', /owner other/);
  t.regex(checkAccess({ owner: 'octo-org', fullName: 'octo-org/lib', isPrivate: true }, policy) ?? '', /allowlist/);
  t.regex(checkAccess({ owner: 'octo-org', fullName: 'octo-org/app', isPrivate: false }, policy) ?? '', /public/);
  t.is(checkAccess({ owner: 'any', fullName: 'any/x', isPrivate: false }, { owners: [], repositories: [], publicRepositories: true }), null);
});
