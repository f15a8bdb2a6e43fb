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
}

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
}
