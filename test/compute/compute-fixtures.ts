import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';
import type { RunnerTemplate } from '../../handlers/config/types.ts';
import type { InstanceRequest } from '../../handlers/compute/compute.ts';
import { createComputeClient, type ComputeClient } from '../../handlers/compute/create-compute-client.ts';
import { requestIdFor } from '../../handlers/compute/request-id.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { startComputeSimulator, type ComputeSimulator, type ComputeSimulatorOptions } from '../../simulators/compute/start-compute-simulator.ts';

export const project = 'runner-project';

/** The shipped defaults, through the real templates parser, plus a network tag. */
export const smallTemplate: RunnerTemplate = parseTemplatesFile(`
templates:
  - name: linux-small
    labels: [self-hosted, linux, x64, small]
    maxRunners: 20
    networkTags: [github-runner]
`).templates[0]!;

export const gpuTemplate: RunnerTemplate = {
  ...smallTemplate,
  name: 'linux-gpu',
  labels: ['self-hosted', 'linux', 'gpu-t4'],
  machineType: 'n1-standard-8',
  accelerators: [{ type: 'nvidia-tesla-t4', count: 1 }],
  spot: true,
  subnetwork: 'regions/us-central1/subnetworks/runners',
  serviceAccount: 'runner-vm@runner-project.iam.gserviceaccount.com',
};

/** What a JIT config looks like: base64 JSON; the tests check it never comes back. */
export const jitConfig = 'eyJydW5uZXIiOiJzZWNyZXQtaml0LWNvbmZpZy12YWx1ZSJ9';

export function requestFor(name: string, overrides: Partial<InstanceRequest> = {}): InstanceRequest {
  const zone = overrides.zone ?? 'us-central1-a';
  const template = overrides.template ?? smallTemplate;
  const spot = overrides.spot ?? template.spot;
  return {
    name,
    zone,
    template,
    spot,
    labels: { 'managed-by': 'gcgr', template: template.name, job: '123456' },
    metadata: { 'startup-script': '#!/bin/bash\necho hi', 'jit-config': jitConfig, 'callback-url': 'http://127.0.0.1:1/cb/abc' },
    maxRunDurationSeconds: template.maxRunDurationSeconds,
    requestId: requestIdFor(name, zone, spot),
    ...overrides,
  };
}

export interface Harness {
  readonly sim: ComputeSimulator;
  readonly compute: ComputeClient;
  readonly logText: () => string;
  readonly sleeps: number[];
  close(): Promise<void>;
}

/** The simulator on a free port and the real client library pointed at it; sleeps are recorded and cut to `sleepCapMs`. */
export async function startHarness(options: ComputeSimulatorOptions = {}, sleepCapMs = 20): Promise<Harness> {
  const sim = await startComputeSimulator({ sweepIntervalMs: 0, ...options });
  const memory = createMemoryLogger();
  const sleeps: number[] = [];
  const compute = createComputeClient({
    project,
    apiEndpoint: sim.url,
    log: memory.log,
    sleep: async (ms) => {
      sleeps.push(ms);
      await new Promise((resolve) => setTimeout(resolve, Math.min(ms, sleepCapMs)));
    },
    timings: { operationPollDelayMs: 5, callTimeoutMs: 10_000, operationTimeoutMs: 10_000 },
  });
  return {
    sim,
    compute,
    logText: memory.text,
    sleeps,
    close: async () => {
      await compute.close();
      await sim.close();
    },
  };
}
