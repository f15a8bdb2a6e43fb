import type { KeyObject } from 'node:crypto';
import type { Clock } from '../../handlers/clock.ts';
import type { Accounts } from './accounts.ts';
import type { Deliveries } from './deliveries.ts';
import type { Faults } from './faults.ts';
import type { JobWorld } from './job-world.ts';
import type { Recorder } from './recorder.ts';
import type { RunnerRegistry } from './runner-registry.ts';
import type { RunnerReleases } from './runner-releases.ts';
import type { TokenStore } from './tokens.ts';

/** Everything the simulator's routes share. */
export interface SimContext {
  readonly appId: number;
  readonly publicKey: KeyObject;
  readonly clock: Clock;
  readonly startedAt: string;
  readonly accounts: Accounts;
  readonly tokens: TokenStore;
  readonly runners: RunnerRegistry;
  readonly runnerReleases: RunnerReleases;
  readonly jobs: JobWorld;
  readonly deliveries: Deliveries;
  readonly faults: Faults;
  readonly recorder: Recorder;
  /** The base URL, known once the server listens. */
  readonly apiUrl: () => string;
  readonly setWebhookUrl: (url: string | undefined) => void;
}
