import type { Arch } from './machine-families.ts';
import type { WarmPool } from './warm-pool.ts';

export interface Accelerator {
  readonly type: string;
  readonly count: number;
}

/** One kind of runner VM, with the defaults of the templates file already applied. */
export interface RunnerTemplate {
  readonly name: string;
  /** Lowercased; a job matches when every one of its labels is among these. */
  readonly labels: readonly string[];
  /** Tried in order when a zone has no capacity. */
  readonly zones: readonly string[];
  /** Bare type name, e.g. `e2-standard-2`; the Compute client qualifies it with the zone. */
  readonly machineType: string;
  readonly image: string;
  readonly diskSizeGb: number;
  /** Bare disk type name, e.g. `pd-balanced`. */
  readonly diskType: string;
  readonly spot: boolean;
  /** When every zone refuses spot capacity, try on-demand. */
  readonly spotFallbackToOnDemand: boolean;
  readonly accelerators: readonly Accelerator[];
  readonly idleTimeoutSeconds: number;
  readonly maxRunDurationSeconds: number;
  /** How often an execution waiting for its job to finish checks that the VM still exists. */
  readonly vmCheckIntervalSeconds: number;
  readonly runnerGroupId: number;
  readonly maxRunners: number;
  /** Full or short subnetwork self-link; absent → the project's default network. */
  readonly subnetwork?: string;
  /** Email of the runner VMs' service account (one with no roles); absent → no service account. */
  readonly serviceAccount?: string;
  readonly networkTags: readonly string[];
  /**
   * Where runners register for jobs of organization-owned repositories: the organization (one
   * pool, runner groups apply) or the job's repository. A user account has no organization level,
   * so its jobs always get repository runners.
   */
  readonly runnerScope: RunnerScopeKind;
  /** `x64` or `arm64`; given or derived from the machine series, and checked against it. */
  readonly arch: Arch;
  /** Hyperdisk Balanced boot disk only: provisioned IOPS and MiB/s. */
  readonly provisionedIops?: number;
  readonly provisionedThroughput?: number;
  /** Extra instance metadata; the keys the service sets are refused at start-up. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Extra instance labels (cost centres…), not runner labels; the service's own keys are refused. */
  readonly vmLabels: Readonly<Record<string, string>>;
  /** E.g. `Intel Ice Lake`. */
  readonly minCpuPlatform?: string;
  /** `advancedMachineFeatures.enableNestedVirtualization`: KVM inside the VM (Android emulators). */
  readonly nestedVirtualization: boolean;
  /** Idle runners kept ready for this template's jobs; absent → every job boots its own VM. */
  readonly warmPool?: WarmPool;
}

export type RunnerScopeKind = 'organization' | 'repository';

export interface AccessPolicy {
  /** Lowercased owner logins whose jobs are served; empty → any owner. */
  readonly owners: readonly string[];
  /** Lowercased `owner/name`; empty → every repository of an allowed owner. */
  readonly repositories: readonly string[];
  readonly publicRepositories: boolean;
}

export interface TemplatesConfig {
  readonly templates: readonly RunnerTemplate[];
  readonly access: AccessPolicy;
}

/** What each role needs is present: `webhook` the secret, `steps` the App's id and key, `all` both. */
export interface GitHubAppConfig {
  readonly appId: string | null;
  readonly privateKey: string | null;
  readonly webhookSecret: string | null;
  readonly apiUrl: string;
  /**
   * Set when the App comes from /setup rather than from the variables above: a JSON file
   * (`GITHUB_APP_CREDENTIALS_FILE`; on Cloud Run a Secret Manager volume) read lazily and re-read,
   * so a new App is picked up without a restart.
   */
  readonly credentialsFile: string | null;
  /** `projects/P/secrets/S`: where /setup stores a new App on Google Cloud; null → it writes `credentialsFile`. */
  readonly credentialsSecret: string | null;
}

/** `/setup`, served where the App comes from a credentials file and a setup token exists. */
export interface SetupConfig {
  /** `SETUP_TOKEN`; null locally → a random one per process, printed at start. */
  readonly token: string | null;
  /** `PUBLIC_URL`: how GitHub and browsers reach this service; null → this process's own URL. */
  readonly publicUrl: string | null;
  /** `GITHUB_APP_NAME`: the name the form suggests. */
  readonly appName: string;
}

export type WorkflowEngineConfig =
  | { readonly kind: 'embedded' }
  | {
      readonly kind: 'cloud';
      readonly location: string;
      readonly name: string;
      /** `projects/P/locations/L/queues/Q`: where the webhook enqueues job events. */
      readonly tasksQueue: string;
      /** Whose OIDC token Cloud Tasks attaches when it calls `${STEPS_URL}/dispatch`. */
      readonly tasksServiceAccount: string;
    };

/**
 * Where the shared state (runner slots, spot re-runs and pauses, events of lost VMs) is kept:
 * `local` in this process (journalled in DATA_DIR), `firestore` shared by every steps instance.
 */
export type StateStoreConfig =
  | { readonly kind: 'local' }
  | {
      readonly kind: 'firestore';
      /** Database id, `(default)` or a named one. */
      readonly database: string;
      /** null → Firestore itself; an http:// URL → the simulator, without credentials. */
      readonly apiEndpoint: string | null;
      /** The collection every record is a document of. */
      readonly collection: string;
    };

/** Which routes this process serves: one image, two Cloud Run services (or both, locally). */
export type ServiceRole = 'all' | 'webhook' | 'steps';

export interface AppConfig {
  readonly port: number;
  readonly role: ServiceRole;
  /** null → the built-in GitHub simulator. */
  readonly github: GitHubAppConfig | null;
  readonly googleCloudProject: string;
  /** Where set, this Compute Engine API endpoint is used (an http:// one needs no credentials). */
  readonly computeApiEndpoint: string | null;
  /** With no endpoint: true (GOOGLE_CLOUD_PROJECT set) → the real Compute Engine API, false → the simulator. */
  readonly useRealCompute: boolean;
  readonly workflowEngine: WorkflowEngineConfig;
  readonly templates: TemplatesConfig;
  /** 32-byte key that seals JIT configs; null → a random key per process (local mode). */
  readonly sealKey: Buffer | null;
  /** Base URL at which the workflow reaches the step endpoints; null → this process's own address. */
  readonly stepsUrl: string | null;
  readonly stateStore: StateStoreConfig;
  /** Embedded mode's journal (engine and queue state, seal key); null → memory only. */
  readonly dataDir: string | null;
  /** null where the App is fixed by environment variables or simulated, and in the steps role. */
  readonly setup: SetupConfig | null;
  /** Where the latest actions/runner release is read; null → `${GITHUB_API_URL}/repos/actions/runner/releases/latest`. */
  readonly runnerReleasesUrl: string | null;
}
