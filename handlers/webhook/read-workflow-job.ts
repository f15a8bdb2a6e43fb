import { z } from 'zod';

export class MalformedPayloadError extends Error {
  override readonly name = 'MalformedPayloadError';
}

/** The fields of a `workflow_job` delivery that we read; the rest of GitHub's payload passes through unread. */
const payloadSchema = z
  .object({
    action: z.string(),
    workflow_job: z.object({
      id: z.int(),
      run_id: z.int(),
      run_attempt: z.int().default(1),
      labels: z.array(z.string()),
      runner_name: z.string().nullish(),
      conclusion: z.string().nullish(),
      created_at: z.string().nullish(),
      started_at: z.string().nullish(),
      completed_at: z.string().nullish(),
    }),
    repository: z.object({
      name: z.string(),
      full_name: z.string(),
      private: z.boolean(),
      owner: z.object({ login: z.string(), type: z.string() }),
    }),
    installation: z.object({ id: z.int() }).optional(),
  })
  .transform(({ action, workflow_job: job, repository, installation }) => ({
    action,
    job: { id: job.id, runId: job.run_id, runAttempt: job.run_attempt, labels: job.labels, runnerName: job.runner_name ?? null, conclusion: job.conclusion ?? null, createdAt: job.created_at ?? null, startedAt: job.started_at ?? null, completedAt: job.completed_at ?? null },
    repository: { name: repository.name, fullName: repository.full_name, isPrivate: repository.private, ownerLogin: repository.owner.login, ownerType: repository.owner.type },
    installationId: installation?.id,
  }));

export type WorkflowJobPayload = z.output<typeof payloadSchema>;

/** Checks and reads the fields we use; a payload without them is malformed, naming the first field at fault. */
export function readWorkflowJob(payload: unknown): WorkflowJobPayload {
  const parsed = payloadSchema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new MalformedPayloadError(`not a workflow_job payload: ${issue?.path.join('.') || 'payload'} ${issue?.message ?? ''}`.trim());
}
