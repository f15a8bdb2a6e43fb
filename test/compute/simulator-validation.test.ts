import { InstancesClient, type protos } from '@google-cloud/compute';
import test from 'ava';
import { buildInstanceResource } from '../../handlers/compute/build-instance-resource.ts';
import { clientOptionsFor } from '../../handlers/compute/client-options.ts';
import { requestIdFor } from '../../handlers/compute/request-id.ts';
import { startComputeSimulator } from '../../simulators/compute/start-compute-simulator.ts';
import { gpuTemplate, project, requestFor } from './compute-fixtures.ts';

type Instance = protos.google.cloud.compute.v1.IInstance;
const zone = 'us-central1-a';

async function withClient(run: (client: InstancesClient, url: string) => Promise<void>, simOptions = {}): Promise<void> {
  const sim = await startComputeSimulator({ sweepIntervalMs: 0, ...simOptions });
  const client = new InstancesClient(clientOptionsFor(sim.url, project));
  try {
    await run(client, sim.url);
  } finally {
    await client.close();
    await sim.close();
  }
}

/** The HTTP status and message of the insert's refusal, as the real client library reports it. */
async function refusal(client: InstancesClient, instance: Instance, requestId = requestIdFor(String(instance.name), zone, false)): Promise<[number, string]> {
  try {
    await client.insert({ project, zone, requestId, instanceResource: instance });
  } catch (error) {
    const { httpStatusCode, message } = error as { httpStatusCode: number; message: string };
    return [httpStatusCode, message];
  }
  return [200, 'accepted'];
}

const valid = (): Instance => buildInstanceResource(requestFor('runner-1'), project);
const validGpu = (): Instance => buildInstanceResource(requestFor('runner-1', { template: gpuTemplate }), project);

const armImage = 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-arm64';

/** The instance on another machine type, its boot disk's parameters changed by `params`. */
function withMachine(instance: Instance, machineType: string, params: Record<string, unknown> = {}): Instance {
  const [boot] = instance.disks ?? [];
  return { ...instance, machineType: `zones/${zone}/machineTypes/${machineType}`, disks: [{ ...boot, initializeParams: { ...boot?.initializeParams, ...params } }] };
}

const cases: [string, () => Instance, RegExp, string?][] = [
  ['a bare machine type', () => ({ ...valid(), machineType: 'e2-standard-2' }), /resource\.machineType.*'e2-standard-2'/],
  ['a machine type of another zone', () => ({ ...valid(), machineType: 'zones/us-central1-b/machineTypes/e2-standard-2' }), /resource\.machineType/],
  ['a bare disk type', () => ({ ...valid(), disks: [{ boot: true, autoDelete: true, initializeParams: { sourceImage: 'x', diskType: 'pd-balanced' } }] }), /diskType.*'pd-balanced'/],
  ['no boot disk', () => ({ ...valid(), disks: [] }), /Exactly one boot disk/],
  ['an uppercase label key', () => ({ ...valid(), labels: { Template: 'x' } }), /Label key 'Template'/],
  ['a label value with a dot', () => ({ ...valid(), labels: { template: 'linux.small' } }), /Label value 'linux\.small'/],
  ['a label value of 64 characters', () => ({ ...valid(), labels: { job: 'a'.repeat(64) } }), /Label value/],
  ['maxRunDuration without instanceTerminationAction', () => ({ ...valid(), scheduling: { maxRunDuration: { seconds: 3600 } } }), /instanceTerminationAction must be specified/],
  ['a GPU on a VM that migrates', () => ({ ...validGpu(), scheduling: { provisioningModel: 'STANDARD', maxRunDuration: { seconds: 3600 }, instanceTerminationAction: 'DELETE' } }), /guest accelerators do not support live migration/],
  ['a Spot VM that migrates', () => ({ ...valid(), scheduling: { provisioningModel: 'SPOT', onHostMaintenance: 'MIGRATE' } }), /Spot VMs do not support live migration/],
  ['a bare accelerator type', () => ({ ...validGpu(), guestAccelerators: [{ acceleratorType: 'nvidia-tesla-t4', acceleratorCount: 1 }] }), /acceleratorType/],
  ['an invalid name', () => ({ ...valid(), name: 'Runner_1' }), /resource\.name/],
  ['a requestId that is not a UUID', valid, /The request ID must be a valid UUID/, 'runner-1-attempt-1'],
  ['the zero UUID as requestId', valid, /zero UUID is not supported/, '00000000-0000-0000-0000-000000000000'],
  // Machine series rules: https://cloud.google.com/compute/docs/machine-resource,
  // https://cloud.google.com/compute/docs/disks/hd-types/hyperdisk-balanced, https://cloud.google.com/compute/docs/gpus,
  // https://cloud.google.com/compute/docs/instances/nested-virtualization/overview.
  ['a machine type of no known series', () => ({ ...valid(), machineType: `zones/${zone}/machineTypes/zz9-standard-2` }), /Machine type with name 'zz9-standard-2' does not exist/],
  ['a C4A booting from Persistent Disk', () => withMachine(valid(), 'c4a-standard-4', { sourceImage: armImage }), /\[pd-balanced\] disk type cannot be used by \[c4a-standard-4\]/],
  ['an N4 booting from Persistent Disk', () => withMachine(valid(), 'n4-standard-4'), /\[pd-balanced\] disk type cannot be used by \[n4-standard-4\]/],
  ['an E2 booting from Hyperdisk', () => withMachine(valid(), 'e2-standard-2', { diskType: `zones/${zone}/diskTypes/hyperdisk-balanced` }), /\[hyperdisk-balanced\] disk type cannot be used/],
  ['an x64 image on an arm64 machine', () => withMachine(valid(), 'c4a-standard-4', { diskType: `zones/${zone}/diskTypes/hyperdisk-balanced` }), /different architecture \(arm64\) from the image \(x64\)/],
  ['an arm64 image on an x64 machine', () => withMachine(valid(), 'e2-standard-2', { sourceImage: armImage }), /different architecture \(x64\) from the image \(arm64\)/],
  ['provisioned IOPS on Persistent Disk', () => withMachine(valid(), 'e2-standard-2', { provisionedIops: 5000 }), /Provisioned IOPS cannot be set for disk type pd-balanced/],
  ['provisioned throughput on Persistent Disk', () => withMachine(valid(), 'e2-standard-2', { provisionedThroughput: 200 }), /Provisioned throughput cannot be set for disk type pd-balanced/],
  ['more IOPS than 500 per GiB of Hyperdisk', () => withMachine(valid(), 'n4-standard-4', { diskType: `zones/${zone}/diskTypes/hyperdisk-balanced`, provisionedIops: 30000 }), /between 3000 and 25000 for a 50 GB disk/],
  ['Hyperdisk throughput under 140 MiB/s', () => withMachine(valid(), 'n4-standard-4', { diskType: `zones/${zone}/diskTypes/hyperdisk-balanced`, provisionedThroughput: 100 }), /between 140 and 2400/],
  ['guestAccelerators on a G2, whose GPUs are built in', () => withMachine(validGpu(), 'g2-standard-8'), /g2-standard-8 does not support guest accelerators/],
  ['a G2 that migrates on host maintenance', () => ({ ...withMachine(valid(), 'g2-standard-8'), scheduling: { provisioningModel: 'STANDARD' } }), /Instances with GPUs \(g2-standard-8\) do not support live migration/],
  ['nested virtualization on an AMD machine', () => ({ ...withMachine(valid(), 'n2d-standard-4'), advancedMachineFeatures: { enableNestedVirtualization: true } }), /Nested virtualization is not supported on machine type n2d-standard-4/],
  ['a minimum CPU platform on E2', () => ({ ...valid(), minCpuPlatform: 'Intel Skylake' }), /E2 does not support a minimum CPU platform/],
];

for (const [name, build, message, requestId] of cases) {
  test(`the simulator refuses ${name} with 400`, async (t) => {
    await withClient(async (client) => {
      const [status, text] = await refusal(client, build(), requestId);
      t.is(status, 400);
      t.regex(text, message);
    });
  });
}

test('the refusal has Google’s error shape', async (t) => {
  await withClient(async (_client, url) => {
    const response = await fetch(`${url}/compute/v1/projects/${project}/zones/${zone}/instances?requestId=nope`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(valid()),
    });
    t.is(response.status, 400);
    const body = (await response.json()) as { error: { code: number; message: string; errors: { domain: string; reason: string; message: string }[] } };
    t.is(body.error.code, 400);
    t.like(body.error.errors[0], { domain: 'global', reason: 'invalid', message: body.error.message });
  });
});

test('a field Compute does not have is refused (the library drops such fields; raw callers do not)', async (t) => {
  await withClient(async (_client, url) => {
    const response = await fetch(`${url}/compute/v1/projects/${project}/zones/${zone}/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...valid(), scheduling: { maxRunDurationSeconds: 3600 } }),
    });
    t.is(response.status, 400);
    t.regex(JSON.stringify(await response.json()), /Unknown name \\"maxRunDurationSeconds\\" at 'instance_resource.scheduling'/);
  });
});

test('a taken name is 409 alreadyExists; a repeated requestId returns the same operation', async (t) => {
  await withClient(async (client) => {
    const first = await client.insert({ project, zone, requestId: requestIdFor('runner-1', zone, false), instanceResource: valid() });
    const again = await client.insert({ project, zone, requestId: requestIdFor('runner-1', zone, false), instanceResource: valid() });
    t.is(again[0].latestResponse.name, first[0].latestResponse.name);
    t.deepEqual(await refusal(client, valid(), requestIdFor('runner-1', zone, false, 1)), [409, "The resource 'projects/runner-project/zones/us-central1-a/instances/runner-1' already exists"]);
  });
});

test('an unknown zone is 400, another project 404, an unknown path 404', async (t) => {
  await withClient(async (client, url) => {
    const zoneError = await client.get({ project, zone: 'mars-north1-a', instance: 'x' }).catch((error: { httpStatusCode: number; message: string }) => error);
    t.like(zoneError, { httpStatusCode: 400, message: "Invalid value for field 'zone': 'mars-north1-a'. Unknown zone." });
    const projectError = await client.get({ project: 'other', zone, instance: 'x' }).catch((error: { httpStatusCode: number }) => error);
    t.like(projectError, { httpStatusCode: 404 });
    t.is((await fetch(`${url}/compute/v1/projects/${project}/global/images`)).status, 404);
  }, { project });
});
