import test from 'ava';
import { buildInstanceResource } from '../../handlers/compute/build-instance-resource.ts';
import { gpuTemplate, jitConfig, project, requestFor, startHarness } from './compute-fixtures.ts';
import { instanceShapeProblems } from './proto-check.ts';

test('a small VM: zone-qualified types, boot disk from the image, no external IP, bounded life', (t) => {
  const instance = buildInstanceResource(requestFor('runner-1'), project);
  t.is(instance.machineType, 'zones/us-central1-a/machineTypes/e2-standard-2');
  t.deepEqual(instance.disks, [{
    boot: true,
    autoDelete: true,
    type: 'PERSISTENT',
    initializeParams: {
      sourceImage: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64',
      diskSizeGb: 50,
      diskType: 'zones/us-central1-a/diskTypes/pd-balanced',
    },
  }]);
  t.deepEqual(instance.networkInterfaces, [{ network: 'projects/runner-project/global/networks/default' }]);
  t.deepEqual(instance.scheduling, { maxRunDuration: { seconds: 21600 }, instanceTerminationAction: 'DELETE', provisioningModel: 'STANDARD' });
  t.deepEqual(instance.guestAccelerators, []);
  t.deepEqual(instance.serviceAccounts, [], 'no service account unless the template names one');
  t.deepEqual(instance.labels, { 'managed-by': 'gcgr', template: 'linux-small', job: '123456' });
  t.deepEqual(instance.tags, { items: ['github-runner'] });
  t.deepEqual(instance.shieldedInstanceConfig, { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true });
  t.deepEqual(instance.metadata?.items?.map((item) => item.key), ['startup-script', 'jit-config', 'callback-url']);
  t.deepEqual(instanceShapeProblems(instance), []);
});

test('a spot GPU VM: accelerator path, TERMINATE on maintenance, SPOT, subnetwork, service account', (t) => {
  const instance = buildInstanceResource(requestFor('runner-1', { template: gpuTemplate }), project);
  t.deepEqual(instance.guestAccelerators, [{ acceleratorType: 'zones/us-central1-a/acceleratorTypes/nvidia-tesla-t4', acceleratorCount: 1 }]);
  t.deepEqual(instance.scheduling, {
    maxRunDuration: { seconds: 21600 },
    instanceTerminationAction: 'DELETE',
    provisioningModel: 'SPOT',
    automaticRestart: false,
    onHostMaintenance: 'TERMINATE',
  });
  t.deepEqual(instance.networkInterfaces, [{ subnetwork: 'regions/us-central1/subnetworks/runners' }]);
  t.deepEqual(instance.serviceAccounts, [{ email: gpuTemplate.serviceAccount ?? '', scopes: ['https://www.googleapis.com/auth/cloud-platform'] }]);
  t.deepEqual(instanceShapeProblems(instance), []);
});

test('the on-demand fallback of a GPU template is STANDARD and still TERMINATE on maintenance', (t) => {
  const instance = buildInstanceResource(requestFor('runner-1', { template: gpuTemplate, spot: false }), project);
  t.like(instance.scheduling, { provisioningModel: 'STANDARD', onHostMaintenance: 'TERMINATE', instanceTerminationAction: 'DELETE' });
});

test('the body the simulator receives is that Instance, valid against the library protos', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  await h.compute.insertInstance(requestFor('runner-1', { template: gpuTemplate }));
  const insert = h.sim.calls().find((call) => call.call === 'insert');
  t.regex(insert?.query['requestId'] ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const body = insert?.body as Record<string, unknown>;
  t.deepEqual(instanceShapeProblems(body), []);
  t.like(body, {
    machineType: 'zones/us-central1-a/machineTypes/n1-standard-8',
    scheduling: { maxRunDuration: { seconds: '21600' }, instanceTerminationAction: 'DELETE', provisioningModel: 'SPOT', onHostMaintenance: 'TERMINATE' },
    guestAccelerators: [{ acceleratorType: 'zones/us-central1-a/acceleratorTypes/nvidia-tesla-t4', acceleratorCount: 1 }],
    labels: { 'managed-by': 'gcgr', template: 'linux-gpu', job: '123456' },
  });
  t.deepEqual(body['networkInterfaces'], [{ subnetwork: 'regions/us-central1/subnetworks/runners' }], 'no accessConfigs: no external IP');
  const items = (body['metadata'] as { items: { key: string; value: string }[] }).items;
  t.is(items.find((item) => item.key === 'jit-config')?.value, jitConfig, 'the VM gets its JIT config');
  const stored = h.sim.instance('runner-1', 'us-central1-a');
  t.regex(String(stored?.['machineType']), /^https:\/\/www\.googleapis\.com\/compute\/v1\/projects\/runner-project\/zones\/us-central1-a\/machineTypes\/n1-standard-8$/);
  t.false(JSON.stringify(stored?.['networkInterfaces']).includes('natIP'));
});

test('the shape check notices a field the Compute v1 Instance does not have', (t) => {
  t.deepEqual(instanceShapeProblems({ name: 'x', scheduling: { maxRunDurationSeconds: 5 } }), ['unknown field scheduling.maxRunDurationSeconds']);
});
