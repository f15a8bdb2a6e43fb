import type { KeyObject } from 'node:crypto';
import type { OwnerType } from './types.ts';
import type { Clock } from '../../handlers/clock.ts';
import type { Accounts } from './accounts.ts';
import type { Deliveries } from './deliveries.ts';
import type { Faults } from './faults.ts';
import type { JobWorld } from './job-world.ts';
import type { ManifestCodes } from './manifest-flow.ts';
import type { Recorder } from './recorder.ts';
import type { RunnerRegistry } from './runner-registry.ts';
import type { RunnerReleases } from './runner-releases.ts';
import type { TokenStore } from './tokens.ts';

/** The App the simulator hosts: the one it starts with, or the last one made from a manifest. */
export interface SimApp {
  id: number;
  privateKey: string;
  publicKey: KeyObject;
  webhookSecret: string;
  slug: string;
  name: string;
  /** Where GitHub sends the browser after an installation. */
  setupUrl: string | null;
  /** A private App installs only on the account that owns it. */
  owner: { login: string; type: OwnerType };
  permissions: Record<string, string>;
  events: string[];
}

/** Everything the simulator's routes share. */
export interface SimContext {
  /** The current App's id and public key (getters: a manifest conversion replaces the App). */
  readonly appId: number;
  readonly publicKey: KeyObject;
  readonly app: SimApp;
  readonly manifestCodes: ManifestCodes;
  /** The signed-in user of the web pages (the manifest flow's "create" and "install"). */
  readonly webUser: string;
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
