import { readFileSync } from 'node:fs';
import test from 'ava';
import { blocks, loadTerraform, repoDir } from './support/terraform.ts';

const readme = readFileSync(`${repoDir}/README.md`, 'utf8');
const section = readme.slice(readme.indexOf('## Deploy to Google Cloud'), readme.indexOf('### Watching it run'));
const deploy = section.slice(section.indexOf('### Deploy: three commands and one page'));
const commands = (deploy.split('```sh')[1]?.split('```')[0] ?? '').split('\n').map((line) => line.replace(/#.*$/, '').trim()).filter(Boolean);

test('the README deploys with at most three commands, then one page', (t) => {
  t.true(commands.length > 0 && commands.length <= 3, commands.join('\n'));
  t.true(commands.every((command) => command.startsWith('terraform -chdir=terraform ')));
  t.regex(deploy, /Open the `setup_url` output in a browser/);
});

test('what the deploy path names exists in terraform/, and the old manual steps are gone', async (t) => {
  const outputs = blocks(await loadTerraform(), 'output');
  for (const name of ['setup_url', 'setup_token', 'nat_ips', 'github_app_settings']) t.true(outputs.has(name), name);
  for (const gone of ['-target', 'image_tag', 'build_command', 'gcloud secrets versions add']) t.false(section.includes(gone), gone);
});
