import { z } from 'zod';
import { findTemplate, runnerScopeOf, type StepDeps } from './step-deps.ts';
import { parseInput, runnerFields, runnerName } from './step-input.ts';

const inputSchema = z.object({ ...runnerFields, templateName: z.string().min(1), runnerName });

export interface MintTokenResult {
  readonly runnerId: number;
  readonly runnerName: string;
  /** The JIT config, sealed to this runner name: ciphertext only ever leaves this process. */
  readonly sealedJitConfig: string;
}

/** Registers the just-in-time runner on GitHub with the template's labels and runner group. */
export async function mintToken(input: unknown, deps: StepDeps): Promise<MintTokenResult> {
  const job = parseInput(inputSchema, input);
  const template = findTemplate(deps.templates, job.templateName);
  const jit = await deps.github.generateJitConfig(runnerScopeOf(job, template), {
    name: job.runnerName,
    runnerGroupId: template.runnerGroupId,
    labels: template.labels,
  });
  deps.log.info({ runnerName: job.runnerName, runnerId: jit.runnerId, jobId: job.jobId }, 'runner registered');
  return { runnerId: jit.runnerId, runnerName: job.runnerName, sealedJitConfig: deps.sealer.seal(jit.encodedJitConfig, job.runnerName) };
}
