import test from 'ava';
import { blocks, block, grantMembers, iamGrants, loadTerraform, resources, strings, type TfResource } from './support/terraform.ts';

async function all(): Promise<TfResource[]> {
  return resources(await loadTerraform());
}

/** Every `locals` block's attributes, merged (locals have no block name to key them by). */
async function locals(): Promise<Record<string, unknown>> {
  return Object.assign({}, ...(await loadTerraform()).flatMap((file) => (file.json['locals'] ?? []) as Record<string, unknown>[]));
}

const find = (list: readonly TfResource[], address: string) => list.find((resource) => resource.address === address)?.body ?? {};

test('a Firestore database in Native mode with pessimistic concurrency, the mode the simulator reproduces', async (t) => {
  const database = find(await all(), 'google_firestore_database.state');
  t.is(database['type'], 'FIRESTORE_NATIVE');
  t.is(database['concurrency_mode'], 'PESSIMISTIC');
  t.is(database['name'], '${local.firestore_database}');
  t.is(database['location_id'], '${var.firestore_location == "" ? var.region : var.firestore_location}');
  t.deepEqual(database['depends_on'], ['${google_project_service.firestore}']);
});

test('the TTL policy is on the field the service writes expiries to, in the collection it writes', async (t) => {
  const field = find(await all(), 'google_firestore_field.state_ttl');
  t.is(field['field'], 'expireAt');
  t.is(field['collection'], '${local.firestore_collection}');
  t.truthy(block(field, 'ttl_config'));
  t.is((await locals())['firestore_collection'], 'github-runner', 'FIRESTORE_COLLECTION defaults to the same name in loadConfig');
});

test('only the steps service account may use the database, and only that database', async (t) => {
  const grants = iamGrants(await all()).filter((grant) => /roles\/datastore\./.test(String(grant.body['role'])));
  t.deepEqual(grants.map((grant) => grant.address), ['google_project_iam_member.steps_uses_state']);
  const grant = grants[0]!;
  t.is(grant.body['role'], 'roles/datastore.user');
  t.deepEqual(grantMembers(grant), ['${google_service_account.steps.member}']);
  t.is(block(grant.body, 'condition')?.['expression'], 'resource.name == "projects/${var.project_id}/databases/${google_firestore_database.state.name}"');
});

test('the steps service is told where the state is; the webhook service, which keeps none, is not', async (t) => {
  const services = await all();
  const envOf = (address: string) => strings(find(services, address)['template']);
  t.true(envOf('google_cloud_run_v2_service.steps').some((text) => text.includes('local.state_env')));
  t.false(envOf('google_cloud_run_v2_service.webhook').some((text) => text.includes('local.state_env')));
  t.like((await locals())['state_env'] as Record<string, string>, { STATE_STORE: 'firestore', FIRESTORE_DATABASE: '${google_firestore_database.state.name}' });
});

test('no single-instance constraint is left on the steps service', async (t) => {
  const variable = blocks(await loadTerraform(), 'variable').get('steps_max_instances') ?? {};
  t.true(Number(variable['default']) > 1);
  t.notRegex(String(variable['description']), /keep 1|single|serializ/i);
});
