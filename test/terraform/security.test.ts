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

test('nothing of ours has an external IP: no access_config anywhere; reserved addresses only for NAT, and only when asked', async (t) => {
  const files = await loadTerraform();
  const names = keys(files.map((file) => file.json));
  t.false(names.includes('access_config'));
  t.false(names.includes('ipv6_access_config'));
  const addresses = (await all()).filter((resource) => resource.type.startsWith('google_compute_address') || resource.type === 'google_compute_global_address');
  t.deepEqual(addresses.map((address) => address.address), ['google_compute_address.nat']);
  t.is(addresses[0]?.body['count'], '${var.nat_ip_count}');
  const nat = (await all()).find((resource) => resource.address === 'google_compute_router_nat.runners');
  t.is(nat?.body['nat_ips'], '${google_compute_address.nat[*].self_link}');
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

// Domain Restricted Sharing (enforced in organizations created since May 2024) refuses allUsers;
// disabling the invoker check is Google's way for a public service under it
// (https://cloud.google.com/run/docs/authenticating/public#invoker_check).
test('nothing is granted to allUsers; the webhook alone is public, by invoker_iam_disabled', async (t) => {
  const everything = await all();
  const publicGrants = iamGrants(everything).filter((grant) => grantMembers(grant).some((member) => /^all(Authenticated)?Users$/.test(member)));
  t.deepEqual(publicGrants, []);
  const open = everything.filter((resource) => resource.type === 'google_cloud_run_v2_service' && resource.body['invoker_iam_disabled'] === true);
  t.deepEqual(open.map((service) => service.address), ['google_cloud_run_v2_service.webhook']);
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

test('each service reads only its own secrets; only the webhook (/setup) may add App versions', async (t) => {
  const grants = iamGrants(await all())
    .filter((grant) => grant.type === 'google_secret_manager_secret_iam_member')
    .map((grant) => `${grantMembers(grant).join()} ${String(grant.body['role'])} ${String(grant.body['secret_id'])}`)
    .sort();
  t.deepEqual(grants, [
    '${google_service_account.steps.member} roles/secretmanager.secretAccessor ${google_secret_manager_secret.github_app.id}',
    '${google_service_account.steps.member} roles/secretmanager.secretAccessor ${google_secret_manager_secret.step_seal_key.id}',
    '${google_service_account.webhook.member} roles/secretmanager.secretAccessor ${google_secret_manager_secret.github_app.id}',
    '${google_service_account.webhook.member} roles/secretmanager.secretAccessor ${google_secret_manager_secret.setup_token.id}',
    '${google_service_account.webhook.member} roles/secretmanager.secretVersionAdder ${google_secret_manager_secret.github_app.id}',
  ]);
});

test('the webhook service gets the setup token and no seal key; the steps service no setup token', async (t) => {
  const everything = await all();
  const envOf = (address: string) => {
    const service = everything.find((resource) => resource.address === address);
    return strings(block(block(service?.body ?? {}, 'template') ?? {}, 'containers')?.['env']);
  };
  t.true(envOf('google_cloud_run_v2_service.webhook').includes('SETUP_TOKEN'));
  t.false(envOf('google_cloud_run_v2_service.webhook').includes('STEP_SEAL_KEY'));
  t.false(envOf('google_cloud_run_v2_service.steps').includes('SETUP_TOKEN'));
});
