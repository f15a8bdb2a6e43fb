import test from 'ava';
import { block, grantMembers, iamGrants, keys, loadTerraform, resources, strings, type TfResource } from './support/terraform.ts';

async function all(): Promise<TfResource[]> {
  return resources(await loadTerraform());
}

const openRanges = ['0.0.0.0/0', '::/0'];

test('no firewall rule admits traffic from anywhere', async (t) => {
  const firewalls = (await all()).filter((resource) => resource.type === 'google_compute_firewall');
  for (const rule of firewalls) {
    const direction = rule.body['direction'] ?? 'INGRESS';
    if (direction !== 'INGRESS' || rule.body['allow'] === undefined) continue;
    // An ingress rule without source ranges, tags or accounts defaults to 0.0.0.0/0.
    const ranges = strings(rule.body['source_ranges']);
    t.true(ranges.length > 0, `${rule.address} names its source ranges`);
    for (const range of ranges) t.false(openRanges.includes(range), `${rule.address} admits ${range}`);
  }
});

test('the only ingress to runners is SSH from IAP, and it is off by default', async (t) => {
  const firewalls = (await all()).filter((resource) => resource.type === 'google_compute_firewall' && resource.body['allow'] !== undefined);
  t.deepEqual(firewalls.map((rule) => rule.address), ['google_compute_firewall.iap_ssh']);
  const rule = firewalls[0]?.body ?? {};
  t.deepEqual(rule['source_ranges'], ['35.235.240.0/20']);
  t.is(rule['count'], '${var.enable_iap_ssh ? 1 : 0}');
});

test('nothing of ours has an external IP: no access_config anywhere, no reserved addresses', async (t) => {
  const files = await loadTerraform();
  const names = keys(files.map((file) => file.json));
  t.false(names.includes('access_config'));
  t.false(names.includes('ipv6_access_config'));
  t.false((await all()).some((resource) => resource.type.startsWith('google_compute_address') || resource.type === 'google_compute_global_address'));
});

test('the steps service account may not give a VM an external IP', async (t) => {
  const roles = (await all()).filter((resource) => resource.type === 'google_project_iam_custom_role');
  t.true(roles.length > 0);
  for (const role of roles) {
    for (const permission of strings(role.body['permissions'])) t.notRegex(permission, /useExternalIp|addresses\.use$/, `${role.address}: ${permission}`);
  }
  const grants = iamGrants(await all()).filter((grant) => grantMembers(grant).includes('${google_service_account.steps.member}'));
  for (const grant of grants) t.notRegex(String(grant.body['role']), /compute\.(networkUser|networkAdmin|instanceAdmin|admin)/, grant.address);
});

test('the runner service account is granted nothing', async (t) => {
  const runnerAccount = /google_service_account\.runner\./;
  for (const grant of iamGrants(await all())) {
    for (const member of grantMembers(grant)) t.notRegex(member, runnerAccount, `${grant.address} grants to the runner account`);
  }
  t.true((await all()).some((resource) => resource.address === 'google_service_account.runner'));
});

test('no primitive role anywhere', async (t) => {
  for (const file of await loadTerraform()) {
    for (const text of strings(file.json)) t.notRegex(text, /roles\/(owner|editor|viewer)\b/, file.path);
  }
});

test('the webhook service is the only thing granted to allUsers', async (t) => {
  const grants = iamGrants(await all());
  const publicGrants = grants.filter((grant) => grantMembers(grant).some((member) => /^all(Authenticated)?Users$/.test(member)));
  t.deepEqual(publicGrants.map((grant) => grant.address), ['google_cloud_run_v2_service_iam_member.webhook_public']);
  t.is(publicGrants[0]?.body['name'], '${google_cloud_run_v2_service.webhook.name}');
  t.is(publicGrants[0]?.body['role'], 'roles/run.invoker');
});

test('the steps service is internal and invoked only by the workflows and tasks accounts', async (t) => {
  const everything = await all();
  const steps = everything.find((resource) => resource.address === 'google_cloud_run_v2_service.steps');
  t.is(steps?.body['ingress'], 'INGRESS_TRAFFIC_INTERNAL_ONLY');
  const invokers = iamGrants(everything)
    .filter((grant) => grant.body['name'] === '${google_cloud_run_v2_service.steps.name}')
    .flatMap(grantMembers)
    .sort();
  t.deepEqual(invokers, ['${google_service_account.tasks.member}', '${google_service_account.workflows.member}']);
});

test('each service reads only its own secrets', async (t) => {
  const readers = iamGrants(await all())
    .filter((grant) => grant.type === 'google_secret_manager_secret_iam_member')
    .map((grant) => `${grantMembers(grant).join()} -> ${String(grant.body['secret_id'])}`)
    .sort();
  t.deepEqual(readers, [
    '${google_service_account.steps.member} -> ${google_secret_manager_secret.github_app_key.id}',
    '${google_service_account.steps.member} -> ${google_secret_manager_secret.step_seal_key.id}',
    '${google_service_account.webhook.member} -> ${google_secret_manager_secret.webhook_secret.id}',
  ]);
});

test('the webhook service gets no App key and no seal key', async (t) => {
  const webhook = (await all()).find((resource) => resource.address === 'google_cloud_run_v2_service.webhook');
  const container = block(block(webhook?.body ?? {}, 'template') ?? {}, 'containers') ?? {};
  const env = strings(container['env']);
  t.true(env.includes('GITHUB_WEBHOOK_SECRET'));
  t.false(env.includes('GITHUB_APP_PRIVATE_KEY'));
  t.false(env.includes('STEP_SEAL_KEY'));
});
