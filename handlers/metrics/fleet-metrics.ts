import type { InstanceInfo } from '../compute/compute.ts';
import type { RunnerTemplate, TemplatesConfig } from '../config/types.ts';
import type { Log } from '../log/logger.ts';
import { emitMetric, secondsBetween } from './emit-metric.ts';
import { estimateCostUsd } from './prices.ts';

/** A runner VM was deleted: how long it lived and what that cost. */
export function emitVmDeleted(log: Log, template: RunnerTemplate, vm: InstanceInfo, nowMs: number): void {
  const vmSeconds = secondsBetween(vm.createdAt, nowMs);
  if (vmSeconds === null) return;
  emitMetric(log, 'vm_deleted', { template: template.name, spot: vm.spot, vmSeconds, costUsd: estimateCostUsd(template, vm.spot, vmSeconds), runnerName: vm.name });
}

/** A VM the reaper deleted: its life and cost count too (a leaked VM costs like any other). */
export function emitReapedVm(log: Log, templates: TemplatesConfig, vm: InstanceInfo, nowMs: number): void {
  const template = templates.templates.find((candidate) => candidate.name === vm.labels['template']);
  // A template no longer configured has no machine type to price: its VM-seconds are not known either.
  if (template) emitVmDeleted(log, template, vm, nowMs);
}

/** Live VMs of each configured template against its cap, from one list of our VMs (the reaper's). */
export function emitFleetSize(log: Log, vms: readonly InstanceInfo[], templates: TemplatesConfig): void {
  for (const template of templates.templates) {
    const live = vms.filter((vm) => vm.labels['template'] === template.name && !/^(STOPPING|TERMINATED)$/.test(vm.status)).length;
    emitMetric(log, 'fleet_size', { template: template.name, vms: live, maxRunners: template.maxRunners });
  }
}
