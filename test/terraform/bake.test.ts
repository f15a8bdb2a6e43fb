import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { parse as parseYaml } from 'yaml';
import { block, grantMembers, iamGrants, loadTerraform, repoDir, resources, strings, terraformDir, type TfResource } from './support/terraform.ts';

interface BuildStep {
  readonly id: string;
  readonly name: string;
  readonly args: readonly string[];
  readonly waitFor?: readonly string[];
}
interface BakeBuild {
  readonly steps: readonly BuildStep[];
  readonly options: { readonly logging: string };
  readonly substitutions: Readonly<Record<string, string>>;
  readonly timeout: string;
}

const build = parseYaml(readFileSync(join(terraformDir, 'bake-cloudbuild.yaml'), 'utf8')) as BakeBuild;
const bakeScript = readFileSync(join(repoDir, 'startup', 'bake-image.sh'), 'utf8');

async function all(): Promise<TfResource[]> {
  return resources(await loadTerraform());
}

async function resource(address: string): Promise<TfResource> {
  const found = (await all()).find((candidate) => candidate.address === address);
  if (!found) throw new Error(`${address} is not in terraform/`);
  return found;
}

test('Cloud Scheduler starts the bake build through the regional Cloud Build API, as the bake scheduler account', async (t) => {
  const job = await resource('google_cloud_scheduler_job.bake');
  t.is(job.file, 'terraform/bake.tf');
  t.is(job.body['schedule'], '${var.bake_schedule}');
  t.is(job.body['time_zone'], 'Etc/UTC');
  const target = block(job.body, 'http_target') ?? {};
  t.is(target['http_method'], 'POST');
  // https://cloud.google.com/build/docs/api/reference/rest/v1/projects.locations.builds/create
  t.is(target['uri'], 'https://cloudbuild.googleapis.com/v1/projects/${var.project_id}/locations/${var.region}/builds?projectId=${var.project_id}');
  t.is(target['body'], '${base64encode(jsonencode(local.bake_build))}');
  const token = block(target, 'oauth_token') ?? {};
  t.is(token['service_account_email'], '${google_service_account.bake_scheduler.email}');
  t.is(token['scope'], 'https://www.googleapis.com/auth/cloud-platform');
});

test('the build Terraform schedules is the YAML file, run as the bake account', async (t) => {
  const locals = (await loadTerraform()).flatMap((file) => ((file.json['locals'] ?? []) as Array<Record<string, unknown>>));
  const bakeBuild = String(locals.find((body) => 'bake_build' in body)?.['bake_build']);
  t.regex(bakeBuild, /yamldecode\(file\("\$\{path\.module\}\/bake-cloudbuild\.yaml"\)\)/);
  t.regex(bakeBuild, /serviceAccount\s*=\s*google_service_account\.bake\.id/);
  for (const name of Object.keys(build.substitutions)) t.true(bakeBuild.includes(`${name} `) || bakeBuild.includes(`${name}=`), `${name} is set by Terraform`);
});

test('the first apply starts one bake, and a new scheduler job would start another', async (t) => {
  const first = await resource('terraform_data.first_bake');
  t.deepEqual(first.body['triggers_replace'], ['${google_cloud_scheduler_job.bake.id}']);
  const provisioner = first.body['provisioner'] as { 'local-exec'?: Array<Record<string, unknown>> } | undefined;
  const command = String(provisioner?.['local-exec']?.[0]?.['command']);
  t.is(command, 'gcloud scheduler jobs run ${google_cloud_scheduler_job.bake.name} --project=${var.project_id} --location=${var.region}');
});

test('one parallel step per architecture, each baking its own family and pruning it', (t) => {
  t.deepEqual(build.steps.map((step) => step.id), ['bake-x64', 'bake-arm64']);
  for (const step of build.steps) {
    const arch = step.id.replace('bake-', '');
    const script = step.args.join(' ');
    t.deepEqual(step.waitFor, ['-'], `${step.id} starts at once`);
    t.regex(script, new RegExp(`--arch ${arch} --family "\\$\\{_FAMILY_PREFIX\\}-${arch}"`));
    t.regex(script, /--keep "\$\{_KEEP\}"/);
    t.regex(script, /--if-older-than-days "\$\{_MAX_AGE_DAYS\}"/);
    t.regex(script, /--subnet "\$\{_SUBNET\}"/);
  }
  t.is(build.options.logging, 'CLOUD_LOGGING_ONLY', 'a build with its own service account must log to Cloud Logging');
});

test('every option the build passes to bake-image.sh is one the script takes', (t) => {
  const taken = new Set([...bakeScript.matchAll(/^\s+(--[a-z0-9-]+)\)/gm)].map((match) => match[1]));
  const passed = new Set(build.steps.flatMap((step) => [...step.args.join(' ').matchAll(/(?<=\s)(--[a-z0-9-]+)/g)].map((match) => match[1])));
  t.true(passed.size > 4);
  for (const option of passed) t.true(taken.has(option), `bake-image.sh takes ${option}`);
});

test('every substitution the build declares is used (Cloud Build refuses unused ones)', (t) => {
  const text = build.steps.map((step) => step.args.join(' ')).join(' ');
  for (const name of Object.keys(build.substitutions)) t.true(text.includes(`\${${name}}`), name);
});

test('the bake account may make VMs and images but never an external IP, and the scheduler account only starts builds as it', async (t) => {
  const role = await resource('google_project_iam_custom_role.image_baker');
  const permissions = strings(role.body['permissions']);
  for (const needed of ['compute.instances.create', 'compute.instances.getSerialPortOutput', 'compute.images.create', 'compute.images.delete', 'compute.disks.useReadOnly']) {
    t.true(permissions.includes(needed), needed);
  }
  for (const permission of permissions) t.notRegex(permission, /useExternalIp|addresses\.use$|setServiceAccount/, permission);

  const grants = iamGrants(await all());
  const of = (account: string) => grants.filter((grant) => grantMembers(grant).includes(`\${google_service_account.${account}.member}`)).map((grant) => grant.address).sort();
  t.deepEqual(of('bake'), [
    'google_compute_subnetwork_iam_member.bake_uses_runner_subnet',
    'google_project_iam_member.bake_images',
    'google_project_iam_member.bake_writes_logs',
    'google_storage_bucket_iam_member.bake_reads_scripts',
  ]);
  t.deepEqual(of('bake_scheduler'), ['google_project_iam_member.bake_scheduler_starts_builds', 'google_service_account_iam_member.bake_scheduler_acts_as_bake']);
  const actAs = await resource('google_service_account_iam_member.bake_scheduler_acts_as_bake');
  t.is(actAs.body['service_account_id'], '${google_service_account.bake.name}');
});

test('the bake VM boots the same startup.sh the steps service sends, uploaded from this checkout', async (t) => {
  const objects = await resource('google_storage_bucket_object.bake_scripts');
  t.is(objects.body['for_each'], '${toset(["startup.sh", "bake-image.sh"])}');
  t.is(objects.body['content'], '${file("${path.module}/../startup/${each.key}")}');
  t.is(objects.body['name'], 'bake/${each.key}');
});

test('the example templates name the baked families', (t) => {
  const templates = parseYaml(readFileSync(join(repoDir, 'runner-templates.yaml'), 'utf8')) as { defaults: { image: string }; templates: Array<{ image?: string; machineType?: string }> };
  t.is(templates.defaults.image, 'global/images/family/gh-runner-x64');
  const arm = templates.templates.find((template) => template.image !== undefined);
  t.is(arm?.image, 'global/images/family/gh-runner-arm64');
  t.regex(arm?.machineType ?? '', /^(t2a|c4a)-/);
});
