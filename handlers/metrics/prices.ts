import type { RunnerTemplate } from '../config/types.ts';

/**
 * A small price table for an estimate, not a bill: Compute Engine list prices in us-central1 (USD,
 * Linux, no committed-use or sustained-use discounts), from https://cloud.google.com/compute/vm-instance-pricing,
 * https://cloud.google.com/compute/gpus-pricing and https://cloud.google.com/compute/disks-image-pricing
 * as published in 2025 (the pages were not reachable when this table was written: check them before
 * relying on a number). Other regions cost up to ~30% more. Update the date when you update a number.
 */
export const priceTableDate = '2025';

/** Per vCPU-hour and per GB-hour of memory, by machine family (predefined machine types). */
const familyRates: Readonly<Record<string, { readonly vcpu: number; readonly gb: number }>> = {
  e2: { vcpu: 0.021811, gb: 0.002923 },
  n1: { vcpu: 0.031611, gb: 0.004237 },
  n2: { vcpu: 0.031611, gb: 0.004237 },
  n2d: { vcpu: 0.027502, gb: 0.003686 },
  c3: { vcpu: 0.03465, gb: 0.003938 },
};

/** GB of memory per vCPU of each predefined shape (N1's are 3.75 / 6.5 / 0.9). */
const memoryPerVcpu: Readonly<Record<string, number>> = { standard: 4, highmem: 8, highcpu: 1 };
const n1MemoryPerVcpu: Readonly<Record<string, number>> = { standard: 3.75, highmem: 6.5, highcpu: 0.9 };

/** Per GPU-hour. */
const acceleratorRates: Readonly<Record<string, number>> = { 'nvidia-tesla-t4': 0.35, 'nvidia-l4': 0.56, 'nvidia-tesla-v100': 2.48, 'nvidia-tesla-a100': 2.93 };

/** Per GB-month of persistent disk; a month is 730 hours in Google's pricing. */
const diskRates: Readonly<Record<string, number>> = { 'pd-standard': 0.04, 'pd-balanced': 0.1, 'pd-ssd': 0.17, 'hyperdisk-balanced': 0.08 };

/**
 * Spot prices move up to once a month, at 60–91% off on-demand (https://cloud.google.com/spot-vms/pricing):
 * the estimate takes the smallest discount, so it errs high.
 */
const spotFactor = 0.4;

/** Estimated USD per hour of one VM of this template; null when its machine type is not in the table. */
export function hourlyUsd(template: Pick<RunnerTemplate, 'machineType' | 'accelerators' | 'diskSizeGb' | 'diskType'>, spot: boolean): number | null {
  const match = /^([a-z0-9]+)-(standard|highmem|highcpu)-(\d+)$/.exec(template.machineType);
  const rates = match ? familyRates[match[1]!] : undefined;
  if (!match || !rates) return null;
  const vcpus = Number(match[3]);
  const gb = vcpus * (match[1] === 'n1' ? n1MemoryPerVcpu : memoryPerVcpu)[match[2]!]!;
  let perHour = vcpus * rates.vcpu + gb * rates.gb;
  for (const accelerator of template.accelerators) perHour += (acceleratorRates[accelerator.type] ?? 0) * accelerator.count;
  if (spot) perHour *= spotFactor;
  return perHour + (template.diskSizeGb * (diskRates[template.diskType] ?? diskRates['pd-balanced']!)) / 730;
}

/** Estimated cost of a VM that lived `seconds`, rounded to a millionth of a dollar; 0 when unpriced. */
export function estimateCostUsd(template: Parameters<typeof hourlyUsd>[0], spot: boolean, seconds: number): number {
  const perHour = hourlyUsd(template, spot);
  return perHour === null ? 0 : Math.round((perHour * seconds * 1e6) / 3600) / 1e6;
}
