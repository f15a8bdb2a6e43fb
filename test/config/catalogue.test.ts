import { readFileSync } from 'node:fs';
import test from 'ava';
import { buildInstanceResource } from '../../handlers/compute/build-instance-resource.ts';
import { requestIdFor } from '../../handlers/compute/request-id.ts';
import { loadConfig } from '../../handlers/config/load-config.ts';
import type { RunnerTemplate } from '../../handlers/config/types.ts';
import { matchTemplate } from '../../handlers/webhook/match-template.ts';
import { loadComputeSchema } from '../../simulators/compute/proto-shape.ts';
import { validateInstance } from '../../simulators/compute/validate-instance.ts';
import { instanceShapeProblems } from '../compute/proto-check.ts';

const root = new URL('../../', import.meta.url).pathname;
const readFile = (path: string) => readFileSync(path.startsWith('/') ? path : `${root}${path}`, 'utf8');
const { templates } = loadConfig({ RUNNER_TEMPLATES: 'templates/catalogue.yaml' }, readFile).templates;
const byName = (name: string): RunnerTemplate => templates.find((template) => template.name === name)!;

function instanceOf(template: RunnerTemplate, spot = template.spot) {
  const zone = template.zones[0]!;
  return buildInstanceResource({
    name: `ghr-${template.name}-1-1`, zone, template, spot, labels: { 'managed-by': 'github-runner', template: template.name },
    metadata: { 'startup-script': '#!/bin/bash', 'jit-config': 'x' }, maxRunDurationSeconds: 3600, requestId: requestIdFor('x', zone, spot),
  }, 'runner-project');
}

test('the catalogue loads through the real loader, every template passing the machine series rules', (t) => {
  t.true(templates.length >= 22);
});

test('every catalogue template makes an instance the Compute simulator and the library protos accept, spot and on-demand', (t) => {
  // The simulator applies Compute Engine's rules: https://cloud.google.com/compute/docs/machine-resource,
  // https://cloud.google.com/compute/docs/disks/hd-types/hyperdisk-balanced, https://cloud.google.com/compute/docs/gpus.
  const schema = loadComputeSchema();
  for (const template of templates) {
    for (const spot of template.spot ? [true, false] : [false]) {
      const instance = instanceOf(template, spot);
      t.is(validateInstance(schema, JSON.parse(JSON.stringify(instance)), template.zones[0]!), null, template.name);
      t.deepEqual(instanceShapeProblems(instance), [], template.name);
    }
  }
});

test('x64 covers 2 to 64 vCPU on demand and on spot, named as GitHub names larger runners', (t) => {
  for (const cores of [2, 4, 8, 16, 32, 64]) {
    t.like(matchTemplate(['self-hosted', 'linux', 'x64', `${cores}-core`], templates), { arch: 'x64', machineType: `n2d-standard-${cores}`, spot: false });
    t.like(matchTemplate(['self-hosted', 'linux', 'x64', `${cores}-core`, 'spot'], templates), { arch: 'x64', machineType: `n2d-standard-${cores}`, spot: true });
  }
  t.is(matchTemplate(['self-hosted', 'linux', 'x64'], templates)?.name, 'x64-2core', 'the smallest is the default');
});

test('arm64 runs on C4A from Hyperdisk Balanced with Ubuntu\'s arm64 image family', (t) => {
  const arm = templates.filter((template) => template.arch === 'arm64');
  t.true(arm.length >= 6);
  for (const template of arm) {
    t.regex(template.machineType, /^c4a-standard-\d+$/);
    t.is(template.diskType, 'hyperdisk-balanced');
    t.regex(template.image, /\/family\/ubuntu-2404-lts-arm64$/);
  }
  t.is(matchTemplate(['self-hosted', 'linux', 'arm64'], templates)?.name, 'arm64-2core');
});

test('the GPU template is a G2 with its L4 built in, stopped rather than migrated on host maintenance', (t) => {
  const gpu = matchTemplate(['self-hosted', 'linux', 'gpu'], templates)!;
  t.like(gpu, { name: 'gpu-l4', machineType: 'g2-standard-8', accelerators: [] });
  t.like(instanceOf(gpu).scheduling, { onHostMaintenance: 'TERMINATE' });
});

test('Dependabot jobs (runs-on: dependabot) get the dependabot template, KVM jobs nested virtualization', (t) => {
  t.is(matchTemplate(['dependabot'], templates)?.name, 'dependabot');
  t.like(matchTemplate(['self-hosted', 'linux', 'kvm'], templates), { name: 'x64-8core-kvm', nestedVirtualization: true });
  t.like(instanceOf(byName('x64-8core-kvm')).advancedMachineFeatures, { enableNestedVirtualization: true });
});

test('the small example that npm start uses still loads', (t) => {
  t.notThrows(() => loadConfig({}, readFile));
});
