import type { InstanceInfo } from '../compute/compute.ts';
import type { RunnerTemplate, TemplatesConfig } from '../config/types.ts';
import { longestIdleSeconds } from '../config/warm-pool.ts';
import type { ExecutionState } from './ports.ts';
import { VM_BOOT_GRACE_SECONDS, VM_OVERDUE_GRACE_SECONDS } from './reaper-limits.ts';

/** `category` groups what is kept in the result; `why` is the sentence a removal carries. */
export interface VmVerdict {
  readonly reap: boolean;
  readonly category: string;
  readonly why: string;
}

function lifeSeconds(template: RunnerTemplate): number {
  return longestIdleSeconds(template) + template.maxRunDurationSeconds + VM_BOOT_GRACE_SECONDS + VM_OVERDUE_GRACE_SECONDS;
}

/** The oldest a VM of this template may be. A template no longer configured gets the longest of all. */
export function maxAgeSeconds(templates: TemplatesConfig, templateName: string | undefined): number {
  const template = templates.templates.find((candidate) => candidate.name === templateName);
  if (template !== undefined) return lifeSeconds(template);
  return Math.max(0, ...templates.templates.map(lifeSeconds));
}

/**
 * Decides by age alone: booting VMs are never touched, VMs past their maximum always go. `null`:
 * in between, where the VM's execution decides.
 */
export function judgeByAge(vm: InstanceInfo, nowMs: number, templates: TemplatesConfig): VmVerdict | null {
  const created = Date.parse(vm.createdAt);
  if (Number.isNaN(created)) return { reap: false, category: 'no creation time', why: 'Compute gave no creation time' };
  const age = Math.floor((nowMs - created) / 1000);
  if (age < VM_BOOT_GRACE_SECONDS) {
    return { reap: false, category: 'booting', why: `${age} s old, within the ${VM_BOOT_GRACE_SECONDS} s boot grace` };
  }
  const maxAge = maxAgeSeconds(templates, vm.labels['template']);
  if (age > maxAge) {
    const why = `${age} s old, past its maximum of ${maxAge} s (idle timeout + max run duration + ${VM_BOOT_GRACE_SECONDS} s boot + ${VM_OVERDUE_GRACE_SECONDS} s grace)`;
    return { reap: true, category: 'past maximum age', why };
  }
  return null;
}

/** Decides by the VM's execution: ended → reap; active or unknown → keep until the maximum age. */
export function judgeByExecution(executionId: string | undefined, state: ExecutionState | null): VmVerdict {
  if (executionId === undefined || state === null) {
    return { reap: false, category: 'no execution label', why: 'no execution label: kept until its maximum age' };
  }
  if (state === 'ENDED') return { reap: true, category: 'execution ended', why: `its execution ${executionId} has ended` };
  if (state === 'ACTIVE') return { reap: false, category: 'execution active', why: `its execution ${executionId} is active` };
  return { reap: false, category: 'execution unknown', why: `the state of execution ${executionId} is unknown: kept until its maximum age` };
}
