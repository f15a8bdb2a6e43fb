import { z } from 'zod';
import { RunnerError } from '../errors.ts';

export const jobFields = {
  installationId: z.number().int(),
  owner: z.string().min(1),
  repo: z.string().min(1),
  ownerIsOrganization: z.boolean(),
  jobId: z.number().int(),
  runAttempt: z.number().int().min(1),
};

/**
 * What the steps after validate need of their execution's argument: where the runner registers,
 * and its job when it has one. A warm pool's runner has no job yet (`warm`), and a repository only
 * when it registers on one.
 */
export const runnerFields = {
  ...jobFields,
  repo: jobFields.repo.optional(),
  jobId: jobFields.jobId.optional(),
  runAttempt: jobFields.runAttempt.optional(),
  warm: z.object({ seat: z.number().int().min(0), generation: z.number().int().min(1) }).optional(),
};

export const runnerName = z.string().regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);

/** Parses a step's input; a bad shape is the caller's mistake (400), never retried. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new RunnerError('invalid', `bad step input: ${issue?.path.join('.') || '(body)'}: ${issue?.message}`);
}
