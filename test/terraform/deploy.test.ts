import test from 'ava';
import { block, loadTerraform, resources, strings, type TfResource } from './support/terraform.ts';

async function find(address: string): Promise<TfResource | undefined> {
  return resources(await loadTerraform()).find((resource) => resource.address === address);
}

test('one apply builds the image: Cloud Build runs from Terraform, keyed on a hash of the sources', async (t) => {
  const build = await find('terraform_data.image');
  t.deepEqual(build?.body['triggers_replace'], ['${local.source_hash}', '${local.image_repo}']);
  const command = JSON.stringify(build?.body['provisioner']);
  t.regex(command, /gcloud builds submit/);
  t.regex(command, /_IMAGE=\$\{local\.image_repo\}:\$\{local\.source_hash\}/);
  t.deepEqual(build?.body['depends_on'], ['${time_sleep.iam_propagation}']);
});

test('both services run the built image by digest; nothing asks for an image tag', async (t) => {
  for (const name of ['webhook', 'steps']) {
    const service = await find(`google_cloud_run_v2_service.${name}`);
    const container = block(block(service?.body ?? {}, 'template') ?? {}, 'containers') ?? {};
    t.is(container['image'], '${data.google_artifact_registry_docker_image.app.self_link}', name);
    t.true(strings(service?.body['depends_on']).includes('${time_sleep.iam_propagation}'), name);
    t.true(strings(service?.body['depends_on']).includes('${google_secret_manager_secret_version.github_app}'), name);
  }
  const text = JSON.stringify((await loadTerraform()).map((file) => file.json));
  t.false(text.includes('image_tag'));
  t.false(text.includes('-target'));
});

test('a secret version made from variables survives a later apply without them', async (t) => {
  const version = await find('google_secret_manager_secret_version.github_app');
  t.is(version?.body['deletion_policy'], 'ABANDON');
  t.is(version?.body['count'], '${nonsensitive(var.github_app_private_key != null) ? 1 : 0}');
});

test('the App secret always has a version to mount: an empty placeholder, made once and never replaced', async (t) => {
  const placeholder = await find('google_secret_manager_secret_version.github_app_placeholder');
  t.is(placeholder?.body['secret_data'], '${jsonencode({})}');
  t.is(placeholder?.body['deletion_policy'], 'ABANDON');
  t.deepEqual(block(placeholder?.body ?? {}, 'lifecycle')?.['ignore_changes'], ['${secret_data}']);
});

test('the VM role reaches only this deployment’s VMs and disks, by an IAM condition on their names', async (t) => {
  const grant = await find('google_project_iam_member.steps_vm_admin');
  const expression = String(block(grant?.body ?? {}, 'condition')?.['expression']);
  t.regex(expression, /resource\.name\.extract\('\/instances\/\{name\}'\)\.startsWith\('\$\{local\.runner_name_prefix\}'\)/);
  t.regex(expression, /resource\.name\.extract\('\/disks\/\{name\}'\)\.startsWith\('\$\{local\.runner_name_prefix\}'\)/);
  const locals = (await loadTerraform()).flatMap((file) => (file.json['locals'] as Record<string, unknown>[] | undefined) ?? []);
  const env = JSON.stringify(locals.find((l) => 'common_env' in l)?.['common_env']);
  t.regex(env, /RUNNER_NAME_PREFIX/);
  t.regex(env, /MANAGED_BY_LABEL/);
  t.is(locals.find((l) => 'runner_name_prefix' in l)?.['runner_name_prefix'], '${var.name_prefix}--');
});

test('Terraform waits for IAM propagation instead of asking for a second apply', async (t) => {
  const sleep = await find('time_sleep.iam_propagation');
  t.is(sleep?.body['create_duration'], '120s');
});
