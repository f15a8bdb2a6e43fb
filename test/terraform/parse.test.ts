import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import test from 'ava';
import { parse } from '@cdktn/hcl2json';
import { parseFile, repoDir, terraformDir, terraformFiles } from './support/terraform.ts';

const files = terraformFiles();

test('terraform/ holds the files by concern', (t) => {
  const names = files.map((path) => relative(terraformDir, path));
  for (const name of ['versions.tf', 'variables.tf', 'outputs.tf', 'apis.tf', 'network.tf', 'iam.tf', 'secrets.tf', 'run.tf', 'workflows.tf', 'tasks.tf', 'scheduler.tf', 'artifact_registry.tf']) {
    t.true(names.includes(name), name);
  }
});

for (const path of files) {
  test(`${relative(repoDir, path)} parses as HCL`, async (t) => {
    const file = await parseFile(path);
    t.true(Object.keys(file.json).length > 0);
  });
}

test('the parser refuses broken HCL (so a parse is a real check)', async (t) => {
  await t.throwsAsync(parse('broken.tf', 'resource "x" "y" {\n  a =\n}\n'));
});

// terraform fmt needs no providers and no network; CI has no terraform, so it is checked where
// the binary exists and skipped, visibly, elsewhere.
const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
if (terraform) {
  test('terraform fmt finds nothing to change', (t) => {
    const result = spawnSync('terraform', ['fmt', '-check', '-recursive', '-list=true', terraformDir], { encoding: 'utf8' });
    t.is(result.status, 0, `not formatted: ${result.stdout}`);
  });
} else {
  console.log('terraform is not installed: skipping `terraform fmt -check` of terraform/');
  test.skip('terraform fmt finds nothing to change (terraform not installed)', () => {});
}
