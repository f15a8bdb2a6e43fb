import { randomBytes } from 'node:crypto';
import type { OwnerType, SimJob } from './types.ts';

export interface NewJob {
  readonly owner: string;
  readonly repo: string;
  readonly labels: readonly string[];
  readonly ownerType?: OwnerType;
  readonly private?: boolean;
  readonly name?: string;
  readonly workflowName?: string;
}

const FIRST_JOB_ID = 30_000_000_001;
const FIRST_RUN_ID = 12_000_000_001;
const FIRST_REPO_ID = 600_000_001;

export function newJob(input: NewJob, index: number, repoId: number, at: string): SimJob {
  return {
    id: FIRST_JOB_ID + index,
    runId: FIRST_RUN_ID + index,
    runAttempt: 1,
    owner: input.owner,
    repo: input.repo,
    repoId,
    ownerType: input.ownerType ?? 'Organization',
    private: input.private ?? true,
    labels: [...input.labels],
    name: input.name ?? 'build',
    workflowName: input.workflowName ?? 'CI',
    headSha: randomBytes(20).toString('hex'),
    createdAt: at,
    status: 'queued',
    conclusion: null,
    startedAt: at,
    completedAt: null,
    runnerId: null,
    runnerName: null,
    runnerGroupId: null,
    runnerGroupName: null,
  };
}

/** One id per repository, stable across its jobs. */
export function repoIdOf(repoIds: Map<string, number>, input: NewJob): number {
  const key = `${input.owner}/${input.repo}`.toLowerCase();
  const id = repoIds.get(key) ?? FIRST_REPO_ID + repoIds.size;
  repoIds.set(key, id);
  return id;
}

