import type { RunnerTemplate } from '../config/types.ts';

/** What one VM is made of; `buildInstanceResource` turns it into a Compute v1 `Instance`. */
export interface InstanceRequest {
  readonly name: string;
  readonly zone: string;
  readonly template: RunnerTemplate;
  /** false → on-demand even when the template asks for spot (the fallback). */
  readonly spot: boolean;
  /** Values already valid for GCE labels (lowercase `[a-z0-9_-]{0,63}`). */
  readonly labels: Readonly<Record<string, string>>;
  /** startup-script, jit-config, callback-url, … */
  readonly metadata: Readonly<Record<string, string>>;
  /** `scheduling.maxRunDuration` with action DELETE: the server-side bound on the VM's life. */
  readonly maxRunDurationSeconds: number;
  /** Deterministic UUID, so a retried insert cannot create a second VM. */
  readonly requestId: string;
}

export interface InstanceInfo {
  readonly name: string;
  readonly zone: string;
  /** PROVISIONING | STAGING | RUNNING | STOPPING | STOPPED | TERMINATED | SUSPENDED … */
  readonly status: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Metadata items, except `jit-config`, which is never read back. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly createdAt: string;
  readonly spot: boolean;
}

export interface ListOptions {
  /** false: the instances' metadata is not fetched (`metadata` is empty), only what counting and judging need. Default true. */
  readonly metadata?: boolean;
  /**
   * An answer this old (ms) will do: the last list of the same labels is reused, even while still
   * in flight. For counts that tolerate a few seconds' lag; unset → always a fresh list.
   */
  readonly maxAgeMs?: number;
}

export type InsertOutcome = 'created' | 'exists';
export type DeleteOutcome = 'deleted' | 'absent';

/**
 * The Compute Engine operations our steps need. Implementations throw `RunnerError` with kind
 * `capacity` (stockout or quota: try elsewhere), `rate_limited`/`unavailable` (retry),
 * `invalid` (bad template) or `fatal`.
 */
export interface Compute {
  /** Inserts and waits for the zone operation to finish. An existing instance of that name is `exists`. */
  insertInstance(request: InstanceRequest): Promise<InsertOutcome>;
  /** Deletes and waits for the operation; a missing instance is `absent`. */
  deleteInstance(name: string, zone: string): Promise<DeleteOutcome>;
  getInstance(name: string, zone: string): Promise<InstanceInfo | null>;
  /** The instance of that name in any of these zones (one list call, not one per zone). */
  findInstance(name: string, zones: readonly string[]): Promise<InstanceInfo | null>;
  /** Every instance in the project carrying all of these labels, across zones. */
  listInstances(labels: Readonly<Record<string, string>>, options?: ListOptions): Promise<readonly InstanceInfo[]>;
}
