import test from 'ava';
import { buildInstanceResource } from '../../handlers/compute/build-instance-resource.ts';
import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';
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
  t.deepEqual(instance.metadata?.items?.map((item) => item.key), ['startup-script', 'jit-config', 'callback-url', 'block-project-ssh-keys', 'enable-oslogin', 'VmDnsSetting']);
  t.is(instance.minCpuPlatform, undefined);
  t.is(instance.advancedMachineFeatures, undefined);
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

const metadataOf = (instance: ReturnType<typeof buildInstanceResource>) => Object.fromEntries((instance.metadata?.items ?? []).map((item) => [item.key, item.value]));

test('every VM blocks project-wide SSH keys, uses OS Login and zonal DNS only, whatever the caller sends', (t) => {
  // https://cloud.google.com/compute/docs/connect/restrict-ssh-keys (block-project-ssh-keys=TRUE),
  // https://cloud.google.com/compute/docs/oslogin/set-up-oslogin (enable-oslogin=TRUE),
  // https://cloud.google.com/compute/docs/internal-dns (VmDnsSetting=ZonalOnly).
  const instance = buildInstanceResource(requestFor('runner-1', { metadata: { 'enable-oslogin': 'FALSE', 'jit-config': jitConfig } }), project);
  t.like(metadataOf(instance), { 'block-project-ssh-keys': 'TRUE', 'enable-oslogin': 'TRUE', VmDnsSetting: 'ZonalOnly' });
});

const arm = parseTemplatesFile(`
templates:
  - name: linux-arm64
    labels: [self-hosted, linux, arm64]
    machineType: c4a-standard-8
    image: projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-arm64
    diskType: hyperdisk-balanced
    provisionedIops: 6000
    provisionedThroughput: 290
    metadata: { serial-port-logging-enable: "TRUE" }
    vmLabels: { cost-centre: ci, team: platform }
`);

test('an arm64 template: hyperdisk with provisioned performance, its extra metadata and labels beside ours', (t) => {
  const template = arm.templates[0]!;
  t.is(template.arch, 'arm64', 'derived from the C4A series');
  const instance = buildInstanceResource(requestFor('runner-1', { template }), project);
  t.deepEqual(instance.disks?.[0]?.initializeParams, {
    sourceImage: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-arm64',
    diskSizeGb: 50,
    diskType: 'zones/us-central1-a/diskTypes/hyperdisk-balanced',
    provisionedIops: 6000,
    provisionedThroughput: 290,
  });
  t.deepEqual(instance.labels, { 'cost-centre': 'ci', team: 'platform', 'managed-by': 'gcgr', template: 'linux-arm64', job: '123456' });
  t.is(metadataOf(instance)['serial-port-logging-enable'], 'TRUE');
  t.deepEqual(instanceShapeProblems(instance), []);
});

const special = parseTemplatesFile(`
templates:
  - name: linux-gpu-l4
    labels: [self-hosted, linux, gpu]
    machineType: g2-standard-8
  - name: linux-kvm
    labels: [self-hosted, linux, kvm]
    machineType: n2-standard-4
    nestedVirtualization: true
    minCpuPlatform: Intel Ice Lake
`);

test('a G2 machine has its L4 built in: no guestAccelerators, yet TERMINATE on host maintenance', (t) => {
  const instance = buildInstanceResource(requestFor('runner-1', { template: special.templates[0]! }), project);
  t.deepEqual(instance.guestAccelerators, []);
  t.like(instance.scheduling, { provisioningModel: 'STANDARD', onHostMaintenance: 'TERMINATE' });
});

test('nested virtualization for KVM jobs and a minimum CPU platform reach the instance', (t) => {
  const instance = buildInstanceResource(requestFor('runner-1', { template: special.templates[1]! }), project);
  t.deepEqual(instance.advancedMachineFeatures, { enableNestedVirtualization: true });
  t.is(instance.minCpuPlatform, 'Intel Ice Lake');
  t.deepEqual(instanceShapeProblems(instance), []);
});

test('the simulator takes the arm64, GPU and KVM VMs as the library sends them, with each field intact', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  await h.compute.insertInstance(requestFor('runner-arm', { template: arm.templates[0]! }));
  await h.compute.insertInstance(requestFor('runner-gpu', { template: special.templates[0]! }));
  await h.compute.insertInstance(requestFor('runner-kvm', { template: special.templates[1]! }));
  const bodies = h.sim.calls().filter((call) => call.call === 'insert').map((call) => call.body as Record<string, unknown>);
  for (const body of bodies) t.deepEqual(instanceShapeProblems(body), []);
  t.like(bodies[0], { disks: [{ initializeParams: { provisionedIops: '6000', provisionedThroughput: '290' } }] });
  t.like(bodies[2], { advancedMachineFeatures: { enableNestedVirtualization: true }, minCpuPlatform: 'Intel Ice Lake' });
  t.like(h.sim.instance('runner-gpu', 'us-central1-a'), { scheduling: { onHostMaintenance: 'TERMINATE' } });
});
