import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { parse } from '@cdktn/hcl2json';
import { blocks, loadTerraform, strings, terraformDir } from './support/terraform.ts';

const example = join(terraformDir, 'examples/terraform.tfvars.example');

/** Names of the variables the configuration references, outside the variable blocks themselves. */
async function referenced(): Promise<Set<string>> {
  const files = await loadTerraform();
  const names = new Set<string>();
  for (const file of files) {
    for (const [kind, value] of Object.entries(file.json)) {
      if (kind === 'variable') continue;
      for (const text of strings(value)) for (const match of text.matchAll(/\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g)) names.add(match[1] ?? '');
    }
  }
  return names;
}

test('every variable is typed and described', async (t) => {
  const variables = blocks(await loadTerraform(), 'variable');
  t.true(variables.size > 10);
  for (const [name, body] of variables) {
    t.true(typeof body['description'] === 'string' && body['description'].length > 20, `${name} has a description`);
    t.true(typeof body['type'] === 'string', `${name} has a type`);
  }
});

test('every referenced variable is declared', async (t) => {
  const declared = blocks(await loadTerraform(), 'variable');
  for (const name of await referenced()) t.true(declared.has(name), `var.${name} is declared`);
});

test('every declared variable is used', async (t) => {
  const used = await referenced();
  for (const name of blocks(await loadTerraform(), 'variable').keys()) t.true(used.has(name), `var.${name} is used`);
});

test('every output is described', async (t) => {
  for (const [name, body] of blocks(await loadTerraform(), 'output')) t.true(typeof body['description'] === 'string', name);
});

test('the example tfvars sets only declared variables and every required one', async (t) => {
  const variables = blocks(await loadTerraform(), 'variable');
  const values = await parse('terraform.tfvars.example', readFileSync(example, 'utf8'));
  for (const name of Object.keys(values)) t.true(variables.has(name), `${name} is declared`);
  for (const [name, body] of variables) {
    if (!('default' in body)) t.true(name in values, `required ${name} is in the example`);
  }
});
