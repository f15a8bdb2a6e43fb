import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { parse } from '@cdktn/hcl2json';
import { parse as parseYaml, stringify } from 'yaml';
import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';
import { terraformDir } from './support/terraform.ts';

const tfvars = await parse('terraform.tfvars.example', readFileSync(join(terraformDir, 'examples/terraform.tfvars.example'), 'utf8'));
const exampleYaml = String(tfvars['runner_templates_yaml']);

/** What locals.tf makes of the YAML: var.zones unless set, then the subnetwork and runner account. */
function asTerraformMergesIt(yaml: string): string {
  const file = parseYaml(yaml) as { defaults?: Record<string, unknown> };
  const defaults = {
    zones: tfvars['zones'],
    ...file.defaults,
    subnetwork: 'projects/p/regions/us-central1/subnetworks/gh-runner-runners',
    serviceAccount: 'gh-runner-runner@p.iam.gserviceaccount.com',
  };
  return stringify({ ...file, defaults });
}

test('the example templates, as Terraform merges them, pass the app’s templates parser', (t) => {
  const config = parseTemplatesFile(asTerraformMergesIt(exampleYaml));
  t.true(config.templates.length > 0);
  for (const template of config.templates) {
    t.is(template.serviceAccount, 'gh-runner-runner@p.iam.gserviceaccount.com');
    t.deepEqual(template.zones, tfvars['zones']);
  }
});

test('the templates offer no way to give a runner an external IP', (t) => {
  t.notRegex(exampleYaml, /access_?config|external_?ip|nat_?ip/i);
  for (const key of ['accessConfigs', 'externalIp', 'natIP']) {
    t.throws(() => parseTemplatesFile(`defaults: { ${key}: true }\ntemplates: [{ name: a, labels: [x] }]\n`), undefined, key);
  }
});
