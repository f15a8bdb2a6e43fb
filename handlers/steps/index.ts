import { checkRunner } from './check-runner.ts';
import { checkVm } from './check-vm.ts';
import { createVm } from './create-vm.ts';
import { deleteVm } from './delete-vm.ts';
import { mintToken } from './mint-token.ts';
import { rerunPreemptedJob } from './rerun-preempted-job.ts';
import type { StepDeps } from './step-deps.ts';
import { validate } from './validate.ts';

export type Step = (input: unknown, deps: StepDeps) => Promise<unknown>;

/** Every step, by the name under which it is mounted at `POST /steps/<name>`. */
export const steps: Readonly<Record<string, Step>> = {
  validate,
  'mint-token': mintToken,
  'create-vm': createVm,
  'delete-vm': deleteVm,
  'check-vm': checkVm,
  'check-runner': checkRunner,
  'rerun-preempted-job': rerunPreemptedJob,
};
