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

/** An account that installed the App. */
export interface InstallationInfo {
  readonly installationId: number;
  readonly owner: string;
  readonly ownerType: 'Organization' | 'User';
}

/** One attempt to deliver a webhook, as `GET /app/hook/deliveries` lists it. */
export interface DeliveryInfo {
  readonly id: number;
  /** Shared by every attempt of one event: the X-GitHub-Delivery header. */
  readonly guid: string;
  readonly deliveredAt: string;
  readonly redelivery: boolean;
  /** 0 when no HTTP answer came (timeout, connection refused). */
  readonly statusCode: number;
  readonly status: string;
  readonly event: string;
  readonly action: string | null;
}

export interface DeliveryQuery {
  readonly sinceMs: number;
  readonly maxPages: number;
  /** GitHub's filter on the outcome of each attempt; all attempts when absent. */
  readonly status?: 'success' | 'failure';
}

export interface DeliveryListing {
  /** Newest first, none older than the `sinceMs` asked for. */
  readonly deliveries: readonly DeliveryInfo[];
  /** false when the page limit ran out before the window did. */
  readonly complete: boolean;
}

/**
 * The GitHub operations our steps need, authenticated as the App's installation. Implementations
 * throw `RunnerError`: `busy` (runner running a job, 422), `rate_limited` (429, secondary limits),
 * `unavailable` (5xx), `not_found`, `invalid`, `fatal`. No error carries a token.
 */
export interface GitHub {
  getJob(job: JobRef): Promise<JobState | null>;
  /** Re-runs a finished job as a new attempt of its run (after a spot preemption). */
  rerunJob(job: JobRef): Promise<void>;
  /** Mints a JIT config; an existing runner of that name is removed and the mint tried once more. */
  generateJitConfig(scope: RunnerScope, request: JitRequest): Promise<JitConfig>;
  /** `absent` when the runner is already gone. Throws `busy` while it runs a job. */
  deleteRunner(scope: RunnerScope, runnerId: number): Promise<'deleted' | 'absent'>;
  findRunnerByName(scope: RunnerScope, name: string): Promise<RunnerInfo | null>;
  listRunners(scope: RunnerScope, namePrefix: string): Promise<RunnerInfo[]>;
  /** The App's installations, not suspended (App JWT). */
  listInstallations(): Promise<InstallationInfo[]>;
  /** Names of the repositories the installation can see. */
  listInstallationRepositories(installationId: number): Promise<string[]>;
  /** The App webhook's deliveries since `sinceMs`, newest first, at most `maxPages` pages of 100 (App JWT). */
  listDeliveries(query: DeliveryQuery): Promise<DeliveryListing>;
  /** Asks GitHub for one more attempt of a delivery (202); it keeps the delivery's GUID. */
  redeliver(deliveryId: number): Promise<void>;
  /** A repository's latest release object, unparsed, read with the installation's token. */
  getLatestRelease(installationId: number, owner: string, repo: string): Promise<unknown>;
}
