export type Arch = 'x64' | 'arm64';

/** What Compute Engine allows a machine series, as far as a runner VM's boot disk and devices go. */
export interface MachineFamily {
  readonly arch: Arch;
  /** Boot disk types; Hyperdisk Balanced is the only Hyperdisk type that can boot. */
  readonly bootDiskTypes: readonly string[];
  /** `guestAccelerators` may be attached (N1 only). */
  readonly attachesGpus: boolean;
  /** GPUs come with the machine type (A2, A3, G2): no `guestAccelerators`, TERMINATE on maintenance. */
  readonly builtInGpus: boolean;
  /** Intel VT-x can be exposed: Intel series other than E2. */
  readonly nestedVirtualization: boolean;
  /** `minCpuPlatform` is accepted (E2 and the one-platform Arm series pick their own). */
  readonly minCpuPlatform: boolean;
}

const pd = ['pd-standard', 'pd-balanced', 'pd-ssd'];
const pdFast = ['pd-balanced', 'pd-ssd'];
const hyperdisk = ['hyperdisk-balanced'];

function family(arch: Arch, bootDiskTypes: readonly string[], extra: Partial<MachineFamily> = {}): MachineFamily {
  return { arch, bootDiskTypes, attachesGpus: false, builtInGpus: false, nestedVirtualization: false, minCpuPlatform: true, ...extra };
}

/**
 * The machine series a runner template may use, keyed by the prefix of the machine type.
 * Sources: https://cloud.google.com/compute/docs/machine-resource (machine series comparison),
 * https://cloud.google.com/compute/docs/disks/hd-types/hyperdisk-balanced (Hyperdisk Balanced is
 * the only Hyperdisk boot disk), https://cloud.google.com/compute/docs/gpus (GPUs attach to N1;
 * A2, A3 and G2 have theirs built in), https://cloud.google.com/compute/docs/instances/arm-on-compute
 * (T2A, C4A are Arm), https://cloud.google.com/compute/docs/instances/nested-virtualization/overview
 * (Intel only, not E2).
 */
export const machineFamilies: Readonly<Record<string, MachineFamily>> = {
  e2: family('x64', pd, { minCpuPlatform: false }),
  n1: family('x64', pd, { attachesGpus: true, nestedVirtualization: true }),
  n2: family('x64', pd, { nestedVirtualization: true }),
  n2d: family('x64', pd),
  t2d: family('x64', pd),
  c2: family('x64', pd, { nestedVirtualization: true }),
  c2d: family('x64', pd),
  c3: family('x64', [...pdFast, ...hyperdisk], { nestedVirtualization: true }),
  c3d: family('x64', [...pdFast, ...hyperdisk]),
  c4: family('x64', hyperdisk, { nestedVirtualization: true }),
  c4d: family('x64', hyperdisk),
  n4: family('x64', hyperdisk, { nestedVirtualization: true }),
  t2a: family('arm64', pd, { minCpuPlatform: false }),
  c4a: family('arm64', hyperdisk, { minCpuPlatform: false }),
  g2: family('x64', pdFast, { builtInGpus: true }),
  a2: family('x64', pdFast, { builtInGpus: true }),
  a3: family('x64', [...pdFast, ...hyperdisk], { builtInGpus: true }),
};

/** `c4a-standard-8` → `c4a`. */
export function machineFamilyName(machineType: string): string {
  return machineType.split('-')[0] ?? '';
}

export function machineFamilyOf(machineType: string): MachineFamily | undefined {
  return machineFamilies[machineFamilyName(machineType)];
}

/** Image names say their architecture (`ubuntu-2404-lts-arm64`, `gh-runner-x64`); null when one does not. */
export function imageArch(image: string): Arch | null {
  const name = image.toLowerCase().split('/').pop() ?? '';
  if (/(^|[-_])(arm64|aarch64)($|[-_])/.test(name)) return 'arm64';
  if (/(^|[-_])(amd64|x64|x86-64|x86_64)($|[-_])/.test(name)) return 'x64';
  return null;
}
