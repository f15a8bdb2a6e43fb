import test from 'ava';
import { ConfigError, loadConfig } from '../../handlers/config/load-config.ts';
import { parseTemplatesFile, TemplatesFileError } from '../../handlers/config/templates-file.ts';

/** The problems the loader reports for one template with these extra YAML lines. */
function problemsOf(fields: string): readonly string[] {
  try {
    parseTemplatesFile(`templates:\n  - name: t\n    labels: [self-hosted]\n${fields.replace(/^/gm, '    ')}\n`);
    return [];
  } catch (error) {
    if (error instanceof TemplatesFileError) return error.problems;
    throw error;
  }
}

const armImage = 'image: projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-arm64';

// Sources: https://cloud.google.com/compute/docs/machine-resource (series, architecture, disks),
// https://cloud.google.com/compute/docs/disks/hd-types/hyperdisk-balanced (the only Hyperdisk boot
// disk; 3,000-160,000 IOPS, 500 per GiB; 140-2,400 MiB/s), https://cloud.google.com/compute/docs/gpus
// (N1 attaches GPUs, G2/A2/A3 have theirs), https://cloud.google.com/compute/docs/instances/nested-virtualization/overview.
const refused: [string, string, RegExp][] = [
  ['a machine series the rules do not know', 'machineType: zz9-standard-2', /^templates\[0\] \(t\)\.machineType: "zz9-standard-2" is of a machine series/],
  ['arch that contradicts the series', 'arch: arm64', /\.arch: arm64, but E2 machines are x64/],
  ['an arm64 machine with the default (amd64) image', 'machineType: c4a-standard-4\ndiskType: hyperdisk-balanced', /\.image: C4A machines are arm64 and need an arm64 image/],
  ['an arm64 image on an x64 machine', armImage, /\.image: ".*arm64" is an arm64 image, but E2 machines are x64/],
  ['C4A on Persistent Disk', `machineType: c4a-standard-4\n${armImage}`, /\.diskType: C4A machines boot from hyperdisk-balanced, not pd-balanced/],
  ['N4 on Persistent Disk', 'machineType: n4-standard-4', /\.diskType: N4 machines boot from hyperdisk-balanced, not pd-balanced/],
  ['C4 on Persistent Disk', 'machineType: c4-standard-4', /\.diskType: C4 machines boot from hyperdisk-balanced/],
  ['C3 on Standard Persistent Disk', 'machineType: c3-standard-4\ndiskType: pd-standard', /\.diskType: C3 machines boot from pd-balanced, pd-ssd, hyperdisk-balanced, not pd-standard/],
  ['E2 on Hyperdisk', 'diskType: hyperdisk-balanced', /\.diskType: E2 machines boot from pd-standard, pd-balanced, pd-ssd, not hyperdisk-balanced/],
  ['provisioned IOPS on Persistent Disk', 'provisionedIops: 5000', /\.provisionedIops: only hyperdisk-balanced disks/],
  ['provisioned throughput on Persistent Disk', 'provisionedThroughput: 200', /\.provisionedThroughput: only hyperdisk-balanced disks/],
  ['IOPS over 500 per GiB', 'machineType: n4-standard-4\ndiskType: hyperdisk-balanced\nprovisionedIops: 30000', /\.provisionedIops: 30000 is outside 3000-25000 for a 50 GiB/],
  ['IOPS under 3,000', 'machineType: n4-standard-4\ndiskType: hyperdisk-balanced\nprovisionedIops: 1000', /\.provisionedIops: 1000 is outside/],
  ['throughput over 2,400 MiB/s', 'machineType: n4-standard-4\ndiskType: hyperdisk-balanced\nprovisionedThroughput: 5000', /\.provisionedThroughput: 5000 MiB\/s is outside 140-2400/],
  ['accelerators on a G2', 'machineType: g2-standard-8\naccelerators: [{ type: nvidia-l4, count: 1 }]', /\.accelerators: G2 machines come with their GPUs/],
  ['accelerators on an N2', 'machineType: n2-standard-8\naccelerators: [{ type: nvidia-tesla-t4, count: 1 }]', /\.accelerators: GPUs attach only to N1/],
  ['nested virtualization on E2', 'nestedVirtualization: true', /\.nestedVirtualization: needs an Intel machine other than E2/],
  ['nested virtualization on arm64', `machineType: c4a-standard-4\ndiskType: hyperdisk-balanced\n${armImage}\nnestedVirtualization: true`, /\.nestedVirtualization: .*C4A cannot/],
  ['a minimum CPU platform on E2', 'minCpuPlatform: Intel Skylake', /\.minCpuPlatform: E2 machines do not take/],
  ['metadata the service sets', 'metadata: { jit-config: x, startup-script: y, enable-oslogin: "FALSE", vmdnssetting: GlobalDefault }', /\.metadata\.jit-config: set by the service/],
  ['runner-version and runner-sha256-* metadata', 'metadata: { runner-version: "2.330.0", runner-sha256-x64: abc }', /\.metadata\.runner-sha256-x64: set by the service/],
  ['our own label keys in vmLabels', 'vmLabels: { managed-by: me, execution: x }', /\.vmLabels\.managed-by: set by the service/],
  ['a vmLabels key outside GCE rules', 'vmLabels: { Team: ci }', /templates\[0\]\.vmLabels\.Team: /],
  ['a vmLabels value outside GCE rules', 'vmLabels: { team: "CI.Platform" }', /vmLabels\.team: a label value/],
  ['more vmLabels than Compute leaves room for', `vmLabels: { ${Array.from({ length: 56 }, (_, i) => `l${i}: x`).join(', ')} }`, /\.vmLabels: at most 55/],
];

for (const [name, fields, expected] of refused) {
  test(`the loader refuses ${name}, naming the field`, (t) => {
    const problems = problemsOf(fields);
    t.true(problems.some((problem) => expected.test(problem)), problems.join('\n'));
  });
}

test('every reserved metadata key is named, case-insensitively', (t) => {
  const problems = problemsOf('metadata: { jit-config: x, startup-script: y, enable-oslogin: "FALSE", vmdnssetting: GlobalDefault, block-project-ssh-keys: "FALSE" }');
  t.deepEqual(problems.map((problem) => problem.split(':')[0]), ['jit-config', 'startup-script', 'enable-oslogin', 'vmdnssetting', 'block-project-ssh-keys'].map((key) => `templates[0] (t).metadata.${key}`));
});

test('arch is derived from the series, and the new fields resolve with defaults merged into maps', (t) => {
  const { templates } = parseTemplatesFile(`
defaults:
  vmLabels: { cost-centre: ci }
  metadata: { serial-port-enable: "FALSE" }
templates:
  - name: arm
    labels: [arm64]
    machineType: c4a-standard-8
    diskType: hyperdisk-balanced
    ${armImage}
    provisionedIops: 4000
    vmLabels: { team: mobile }
  - name: kvm
    labels: [kvm]
    machineType: n2-standard-4
    nestedVirtualization: true
    minCpuPlatform: Intel Ice Lake
`);
  t.like(templates[0], { arch: 'arm64', provisionedIops: 4000, nestedVirtualization: false, vmLabels: { 'cost-centre': 'ci', team: 'mobile' }, metadata: { 'serial-port-enable': 'FALSE' } });
  t.false('provisionedThroughput' in templates[0]!);
  t.like(templates[1], { arch: 'x64', nestedVirtualization: true, minCpuPlatform: 'Intel Ice Lake' });
});

test('a valid GPU template on G2 needs no accelerators', (t) => {
  t.deepEqual(problemsOf('machineType: g2-standard-8'), []);
});

test('at start-up, loadConfig reports every broken rule of every template at once, under the templates variable', (t) => {
  const yaml = `templates:
  - name: arm
    labels: [arm64]
    machineType: c4a-standard-4
  - name: gpu
    labels: [gpu]
    machineType: g2-standard-8
    accelerators: [{ type: nvidia-l4, count: 1 }]
`;
  const error = t.throws(() => loadConfig({ RUNNER_TEMPLATES_YAML: yaml }, () => ''), { instanceOf: ConfigError });
  const problems = error?.problems ?? [];
  t.is(problems.length, 3, problems.join('\n'));
  t.regex(problems[0]!, /^RUNNER_TEMPLATES_YAML \(inline\): templates\[0\] \(arm\)\.image: C4A machines are arm64/);
  t.regex(problems[1]!, /^RUNNER_TEMPLATES_YAML \(inline\): templates\[0\] \(arm\)\.diskType: C4A machines boot from hyperdisk-balanced/);
  t.regex(problems[2]!, /^RUNNER_TEMPLATES_YAML \(inline\): templates\[1\] \(gpu\)\.accelerators: G2 machines come with their GPUs/);
});
