import { z } from 'zod';
import type { RunnerEvent } from '../dispatch/ports.ts';
import { parseRunnerName } from '../runner-name.ts';
import { findTemplate, type StepDeps } from './step-deps.ts';
import { parseInput, runnerName } from './step-input.ts';

const inputSchema = z.object({ templateName: z.string().min(1), runnerName });

export interface CheckVmResult {
  readonly runnerName: string;
  /** false: the VM is gone (preempted, or deleted by its maxRunDuration) while its job ran. */
  readonly present: boolean;
  readonly status: string | null;
  /** Events for this runner that came after its VM was gone: they tell which job ran on it. */
  readonly lostEvents: readonly RunnerEvent[];
  /** A warm runner whose seat has moved on (closed outside its schedule, or replaced): it leaves if idle. */
  readonly retire: boolean;
}

/** Looks for the runner's VM: an execution waiting for `completed` asks now and then, since a
 * preempted VM sends nothing and its `completed` event, when GitHub sends one, has no VM to route by. */
export async function checkVm(input: unknown, deps: StepDeps): Promise<CheckVmResult> {
  const job = parseInput(inputSchema, input);
  const template = findTemplate(deps.templates, job.templateName);
  const instance = await deps.compute.findInstance(job.runnerName, template.zones);
  const present = instance !== null && instance.status !== 'TERMINATED';
  const lostEvents = present ? [] : await deps.lostEvents.of(job.runnerName, deps.clock.now());
  const retire = present && parseRunnerName(job.runnerName)?.warm !== undefined && !(await deps.warmPools.holdsSeat(job.runnerName));
  return { runnerName: job.runnerName, present, status: instance?.status ?? null, lostEvents, retire };
}
