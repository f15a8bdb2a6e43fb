import { imageArch, machineFamilies, machineFamilyName, machineFamilyOf } from './machine-families.ts';
import { isReservedMetadataKey, ownLabelKeys } from './reserved-keys.ts';
import type { RunnerTemplate } from './types.ts';

/**
 * Hyperdisk Balanced's provisioned performance: 3,000 to 160,000 IOPS, at most 500 per GiB of the
 * disk's size, and 140 to 2,400 MiB/s
 * (https://cloud.google.com/compute/docs/disks/hd-types/hyperdisk-balanced).
 */
export const hyperdiskBalanced = { minIops: 3_000, maxIops: 160_000, iopsPerGiB: 500, minThroughput: 140, maxThroughput: 2_400 };

/** Compute Engine allows 64 labels on an instance (https://cloud.google.com/compute/docs/labeling-resources). */
export const maxInstanceLabels = 64;

type Check = (template: RunnerTemplate) => string[];

const checks: readonly Check[] = [machineProblems, diskProblems, acceleratorProblems, featureProblems, keyProblems];

/** Every way this template breaks a Compute Engine rule, each naming the field, as `templates[i] (name).field: why`. */
export function templateRuleProblems(template: RunnerTemplate, index: number): string[] {
  return checks.flatMap((check) => check(template)).map((problem) => `templates[${index}] (${template.name}).${problem}`);
}

function machineProblems(template: RunnerTemplate): string[] {
  const family = machineFamilyOf(template.machineType);
  if (!family) {
    return [`machineType: "${template.machineType}" is of a machine series the templates do not know (${Object.keys(machineFamilies).join(', ')})`];
  }
  const problems: string[] = [];
  const series = machineFamilyName(template.machineType).toUpperCase();
  if (template.arch !== family.arch) problems.push(`arch: ${template.arch}, but ${series} machines are ${family.arch}`);
  const image = imageArch(template.image);
  if (family.arch === 'arm64' && image !== 'arm64') problems.push(`image: ${series} machines are arm64 and need an arm64 image (such as ubuntu-2404-lts-arm64); "${template.image}" is not one`);
  if (family.arch === 'x64' && image === 'arm64') problems.push(`image: "${template.image}" is an arm64 image, but ${series} machines are x64`);
  return problems;
}

function diskProblems(template: RunnerTemplate): string[] {
  const family = machineFamilyOf(template.machineType);
  const problems: string[] = [];
  if (family && !family.bootDiskTypes.includes(template.diskType)) {
    problems.push(`diskType: ${machineFamilyName(template.machineType).toUpperCase()} machines boot from ${family.bootDiskTypes.join(', ')}, not ${template.diskType}`);
  }
  const hyperdisk = template.diskType === 'hyperdisk-balanced';
  const { provisionedIops: iops, provisionedThroughput: throughput } = template;
  if (iops !== undefined) {
    const max = Math.min(hyperdiskBalanced.maxIops, hyperdiskBalanced.iopsPerGiB * template.diskSizeGb);
    if (!hyperdisk) problems.push(`provisionedIops: only hyperdisk-balanced disks take provisioned IOPS, not ${template.diskType}`);
    else if (iops < hyperdiskBalanced.minIops || iops > max) problems.push(`provisionedIops: ${iops} is outside ${hyperdiskBalanced.minIops}-${max} for a ${template.diskSizeGb} GiB Hyperdisk Balanced disk`);
  }
  if (throughput !== undefined) {
    if (!hyperdisk) problems.push(`provisionedThroughput: only hyperdisk-balanced disks take provisioned throughput, not ${template.diskType}`);
    else if (throughput < hyperdiskBalanced.minThroughput || throughput > hyperdiskBalanced.maxThroughput) {
      problems.push(`provisionedThroughput: ${throughput} MiB/s is outside ${hyperdiskBalanced.minThroughput}-${hyperdiskBalanced.maxThroughput}`);
    }
  }
  return problems;
}

function acceleratorProblems(template: RunnerTemplate): string[] {
  const family = machineFamilyOf(template.machineType);
  if (!family || template.accelerators.length === 0 || family.attachesGpus) return [];
  const series = machineFamilyName(template.machineType).toUpperCase();
  if (family.builtInGpus) return [`accelerators: ${series} machines come with their GPUs (the machine type sets them): remove accelerators`];
  return [`accelerators: GPUs attach only to N1 machines; use an N1 type, or a G2/A2/A3 type whose GPUs are built in`];
}

function featureProblems(template: RunnerTemplate): string[] {
  const family = machineFamilyOf(template.machineType);
  if (!family) return [];
  const series = machineFamilyName(template.machineType).toUpperCase();
  const problems: string[] = [];
  if (template.nestedVirtualization && !family.nestedVirtualization) {
    problems.push(`nestedVirtualization: needs an Intel machine other than E2 (N1, N2, N4, C2, C3, C4); ${series} cannot`);
  }
  if (template.minCpuPlatform !== undefined && !family.minCpuPlatform) {
    problems.push(`minCpuPlatform: ${series} machines do not take a minimum CPU platform`);
  }
  return problems;
}

function keyProblems(template: RunnerTemplate): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(template.metadata)) {
    if (isReservedMetadataKey(key)) problems.push(`metadata.${key}: set by the service on every VM; choose another key`);
  }
  for (const key of Object.keys(template.vmLabels)) {
    if (ownLabelKeys.includes(key)) problems.push(`vmLabels.${key}: set by the service on every VM; choose another key`);
  }
  const room = maxInstanceLabels - ownLabelKeys.length;
  if (Object.keys(template.vmLabels).length > room) problems.push(`vmLabels: at most ${room} (Compute Engine allows ${maxInstanceLabels} labels, the service sets ${ownLabelKeys.length})`);
  return problems;
}
