/** Where a runner is registered: an organization, or one repository when `repo` is set. */
export interface RunnerScope {
  readonly installationId: number;
  readonly owner: string;
  readonly repo?: string;
}

export interface JobRef {
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  readonly jobId: number;
}

export interface JobState {
  /** queued | in_progress | completed | waiting | requested | pending */
  readonly status: string;
  readonly conclusion: string | null;
  readonly runnerName: string | null;
  readonly runAttempt: number;
}

export interface RunnerInfo {
  readonly id: number;
  readonly name: string;
  /** online | offline */
  readonly status: string;
  readonly busy: boolean;
  readonly labels: readonly string[];
}

export interface JitRequest {
  readonly name: string;
  readonly runnerGroupId: number;
  readonly labels: readonly string[];
  readonly workFolder?: string;
}

/** The only value that carries a JIT config; step code seals it before it leaves the process. */
export interface JitConfig {
  readonly runnerId: number;
  readonly encodedJitConfig: string;
}

/**
 * The GitHub operations our steps need, authenticated as the App's installation. Implementations
 * throw `RunnerError`: `busy` (runner running a job, 422), `rate_limited` (429, secondary limits),
 * `unavailable` (5xx), `not_found`, `invalid`, `fatal`. No error carries a token.
 */
export interface GitHub {
  getJob(job: JobRef): Promise<JobState | null>;
  /** Mints a JIT config; an existing runner of that name is removed and the mint tried once more. */
  generateJitConfig(scope: RunnerScope, request: JitRequest): Promise<JitConfig>;
  /** `absent` when the runner is already gone. Throws `busy` while it runs a job. */
  deleteRunner(scope: RunnerScope, runnerId: number): Promise<'deleted' | 'absent'>;
  findRunnerByName(scope: RunnerScope, name: string): Promise<RunnerInfo | null>;
  listRunners(scope: RunnerScope, namePrefix: string): Promise<RunnerInfo[]>;
}
