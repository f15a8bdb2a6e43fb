/** The simulated GitHub's world: accounts with the App installed, runners, jobs, deliveries. */

export type OwnerType = 'Organization' | 'User';

export interface Account {
  readonly login: string;
  readonly id: number;
  readonly type: OwnerType;
  readonly installationId: number;
}

/** Where a runner is registered: `org` level, or one repository. */
export interface SimScope {
  readonly owner: string;
  readonly repo?: string;
}

export interface SimLabel {
  readonly id: number;
  readonly name: string;
  readonly type: 'custom' | 'read-only';
}

export interface SimRunner {
  readonly id: number;
  readonly name: string;
  readonly scope: SimScope;
  readonly groupId: number;
  readonly labels: readonly SimLabel[];
  readonly workFolder: string;
  status: 'online' | 'offline';
  busy: boolean;
  /** The JIT config was used by a runner process; it cannot be used twice. */
  connected: boolean;
}

export type JobStatus = 'queued' | 'in_progress' | 'completed';

export type Conclusion = 'success' | 'failure' | 'cancelled' | 'skipped' | 'neutral' | 'timed_out' | 'action_required';

export interface SimJob {
  readonly id: number;
  readonly runId: number;
  readonly runAttempt: number;
  readonly owner: string;
  readonly repo: string;
  readonly repoId: number;
  readonly ownerType: OwnerType;
  readonly private: boolean;
  readonly labels: readonly string[];
  readonly name: string;
  readonly workflowName: string;
  readonly headSha: string;
  readonly createdAt: string;
  status: JobStatus;
  conclusion: Conclusion | null;
  startedAt: string;
  completedAt: string | null;
  runnerId: number | null;
  runnerName: string | null;
  runnerGroupId: number | null;
  runnerGroupName: string | null;
}

/** One attempt to deliver a webhook, as GitHub's `/app/hook/deliveries` reports it. */
export interface Delivery {
  readonly id: number;
  readonly guid: string;
  readonly event: string;
  readonly action: string | null;
  readonly installationId: number | null;
  readonly repositoryId: number | null;
  readonly redelivery: boolean;
  readonly deliveredAt: string;
  /** The webhook URL at the time; `null` when none was configured (nothing sent). */
  readonly url: string | null;
  readonly requestHeaders: Readonly<Record<string, string>>;
  /** The exact bytes that were signed and sent. */
  readonly body: string;
  statusCode: number;
  status: string;
  durationSeconds: number;
  responseHeaders: Record<string, string>;
  responseBody: string | null;
}

export interface FaultSpec {
  /** `GET`, `POST`…; any method when absent. */
  readonly method?: string;
  /** `/orgs/:org/actions/runners/generate-jitconfig` (also `{org}` or `*`), matched on the path. */
  readonly path: string;
  /** The status to answer; ignored when `drop` is set. */
  readonly status?: number;
  /** How many matching calls fail; default 1. */
  readonly times?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body; default GitHub's error shape with a message for the status. */
  readonly body?: unknown;
  /** Destroy the connection without answering (a reset, as a flaky network does). */
  readonly drop?: boolean;
  /** Wait this long first; with neither `status` nor `drop`, the real route then answers (a slow GitHub). */
  readonly delayMs?: number;
}

export interface RecordedRequest {
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** `jwt`, `token` or `none`; never the credential itself. */
  readonly auth: 'jwt' | 'token' | 'none';
  body: unknown;
  status: number;
  responseBody: unknown;
  /** The fault that answered instead of the route, if any. */
  faulted: boolean;
}
