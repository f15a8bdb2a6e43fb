import type { InstanceInfo } from '../compute/compute.ts';
import type { TemplatesConfig } from '../config/types.ts';
import type { ActiveRuns } from '../dispatch/admission.ts';
import type { Log } from '../log/logger.ts';
import type { AdmissionSlots } from '../state/admission-slots.ts';

/**
 * Admission takes a slot just before it starts the execution: a slot this young may belong to an
 * execution being started, which neither the VM list nor the active executions show yet. Starting
 * one is a single API call (seconds); ten minutes leaves a wide margin.
 */
export const SLOT_GRACE_MS = 10 * 60_000;

export interface OrphanSlotDeps {
  readonly slots: AdmissionSlots;
  readonly activeRuns: ActiveRuns;
  readonly templates: TemplatesConfig;
  readonly log: Log;
  readonly now: () => number;
}

/**
 * Frees the runner slots that nothing holds any more: no VM of that name among `vms` (every VM of
 * ours, listed by the reaper) and no active execution for that runner, e.g. an execution cancelled
 * or failed before its delete-vm ran. Returns the runner names freed.
 */
export async function freeOrphanSlots(vms: readonly InstanceInfo[], deps: OrphanSlotDeps): Promise<string[]> {
  const present = new Set(vms.map((vm) => vm.name));
  const freed: string[] = [];
  for (const template of deps.templates.templates) {
    const holders = Object.entries(await deps.slots.holders(template.name)).filter(([name, takenAt]) => !present.has(name) && takenAt <= deps.now() - SLOT_GRACE_MS);
    if (holders.length === 0) continue;
    const active = await deps.activeRuns.runnerNames(template.name);
    for (const [runnerName] of holders) {
      if (active.has(runnerName) || !(await deps.slots.release(template.name, runnerName))) continue;
      deps.log.warn({ runnerName, template: template.name }, 'reaper freed a runner slot: neither its VM nor its execution remains');
      freed.push(runnerName);
    }
  }
  return freed;
}
