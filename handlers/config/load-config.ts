import { runnerNamePrefixPattern } from '../runner-name.ts';
import { parseTemplatesFile, TemplatesFileError } from './templates-file.ts';
import type { AppConfig, GitHubAppConfig, ServiceRole, SetupConfig, StateStoreConfig, TemplatesConfig, WorkflowEngineConfig } from './types.ts';

export type Env = Readonly<Record<string, string | undefined>>;
export type ReadFile = (path: string) => string;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

/** Gathers problems so that one start-up reports all of them. Never echoes a secret's value. */
class Problems {
  readonly list: string[] = [];
  add(variable: string, problem: string): void {
    this.list.push(`${variable}: ${problem}`);
  }
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function readUrl(env: Env, name: string, problems: Problems): string | null {
  const value = optional(env, name);
  if (value === undefined) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return value.replace(/\/+$/, '');
  } catch {
    problems.add(name, `"${value}" is not an http(s) URL`);
    return null;
  }
}

function readPort(env: Env, problems: Problems): number {
  const value = optional(env, 'PORT') ?? '8080';
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.add('PORT', `"${value}" is not a port number`);
  return port;
}

function readPrivateKey(env: Env, readFile: ReadFile, problems: Problems): string | undefined {
  const file = optional(env, 'GITHUB_APP_PRIVATE_KEY_FILE');
  let key = optional(env, 'GITHUB_APP_PRIVATE_KEY');
  if (key === undefined && file !== undefined) {
    try {
      key = readFile(file);
    } catch {
      problems.add('GITHUB_APP_PRIVATE_KEY_FILE', `cannot read "${file}"`);
      return undefined;
    }
  }
  if (key === undefined) return undefined;
  // Secret stores and .env files often keep a PEM on one line with literal "\n".
  const pem = key.includes('\\n') ? key.replace(/\\n/g, '\n') : key;
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----/.test(pem)) {
    problems.add(file && !env['GITHUB_APP_PRIVATE_KEY'] ? 'GITHUB_APP_PRIVATE_KEY_FILE' : 'GITHUB_APP_PRIVATE_KEY', 'not a PEM private key');
    return undefined;
  }
  return pem;
}

/** Each Cloud Run service reads only its own secrets, so what is required depends on the role. */
function readGitHub(env: Env, role: ServiceRole, readFile: ReadFile, problems: Problems): GitHubAppConfig | null {
  const stored = readStoredApp(env, problems);
  if (stored !== null) return stored;
  const appId = optional(env, 'GITHUB_APP_ID');
  const privateKey = readPrivateKey(env, readFile, problems);
  const webhookSecret = optional(env, 'GITHUB_WEBHOOK_SECRET');
  const apiUrl = readUrl(env, 'GITHUB_API_URL', problems) ?? 'https://api.github.com';
  const keyGiven = optional(env, 'GITHUB_APP_PRIVATE_KEY') ?? optional(env, 'GITHUB_APP_PRIVATE_KEY_FILE');
  if (appId === undefined && keyGiven === undefined && webhookSecret === undefined) return null;
  const needed: Record<string, boolean> = {
    GITHUB_APP_ID: role !== 'webhook' && appId === undefined,
    GITHUB_APP_PRIVATE_KEY: role !== 'webhook' && keyGiven === undefined,
    GITHUB_WEBHOOK_SECRET: role !== 'steps' && webhookSecret === undefined,
  };
  for (const [name, missing] of Object.entries(needed)) {
    if (missing) problems.add(name, `required (SERVICE_ROLE=${role}) when any GITHUB_APP_* or GITHUB_WEBHOOK_SECRET is set`);
  }
  if (appId !== undefined && !/^(\d+|Iv[0-9a-zA-Z.]+)$/.test(appId)) problems.add('GITHUB_APP_ID', `"${appId}" is neither an App id nor a client id`);
  return { appId: appId ?? null, privateKey: privateKey ?? null, webhookSecret: webhookSecret ?? null, apiUrl, credentialsFile: null, credentialsSecret: null };
}

/**
 * The App from /setup: `GITHUB_APP_CREDENTIALS_FILE`, or, in single-machine mode, `GITHUB_API_URL`
 * alone (a real GitHub, no App yet) → `DATA_DIR/github-app.json`. Not with the App's variables.
 */
function readStoredApp(env: Env, problems: Problems): GitHubAppConfig | null {
  const fixed = ['GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_APP_PRIVATE_KEY_FILE', 'GITHUB_WEBHOOK_SECRET'].filter((name) => optional(env, name) !== undefined);
  const file = optional(env, 'GITHUB_APP_CREDENTIALS_FILE');
  const apiUrlGiven = optional(env, 'GITHUB_API_URL') !== undefined;
  if (file === undefined && (fixed.length > 0 || !apiUrlGiven)) return null;
  if (fixed.length > 0) problems.add('GITHUB_APP_CREDENTIALS_FILE', `not with ${fixed.join(', ')}: the App comes from one place`);
  const dataDir = optional(env, 'DATA_DIR');
  if (file === undefined && dataDir === undefined) problems.add('DATA_DIR', 'required to store the App that /setup creates (GITHUB_API_URL without an App)');
  const secret = optional(env, 'GITHUB_APP_CREDENTIALS_SECRET') ?? null;
  if (secret !== null && !/^projects\/[^/]+\/secrets\/[^/]+$/.test(secret)) problems.add('GITHUB_APP_CREDENTIALS_SECRET', 'must be projects/P/secrets/S');
  const apiUrl = readUrl(env, 'GITHUB_API_URL', problems) ?? 'https://api.github.com';
  return { appId: null, privateKey: null, webhookSecret: null, apiUrl, credentialsFile: file ?? `${dataDir ?? '.data'}/github-app.json`, credentialsSecret: secret };
}

function readSetup(env: Env, role: ServiceRole, github: GitHubAppConfig | null, problems: Problems): SetupConfig | null {
  if (role === 'steps' || github?.credentialsFile == null) return null;
  const token = optional(env, 'SETUP_TOKEN') ?? null;
  if (token !== null && token.length < 16) problems.add('SETUP_TOKEN', 'at least 16 characters (Terraform generates 32)');
  if (token === null && github.credentialsSecret !== null) problems.add('SETUP_TOKEN', 'required with GITHUB_APP_CREDENTIALS_SECRET');
  const appName = optional(env, 'GITHUB_APP_NAME') ?? 'google-cloud-github-runner';
  if (appName.length > 34) problems.add('GITHUB_APP_NAME', 'at most 34 characters (GitHub\'s limit)');
  return { token, publicUrl: readUrl(env, 'PUBLIC_URL', problems), appName };
}

function readEngine(env: Env, role: ServiceRole, problems: Problems): WorkflowEngineConfig {
  const kind = optional(env, 'WORKFLOW_ENGINE') ?? 'embedded';
  if (kind === 'embedded') return { kind };
  if (kind !== 'cloud') {
    problems.add('WORKFLOW_ENGINE', `"${kind}" is neither "embedded" nor "cloud"`);
    return { kind: 'embedded' };
  }
  const location = optional(env, 'WORKFLOW_LOCATION');
  const name = optional(env, 'WORKFLOW_NAME');
  if (location === undefined) problems.add('WORKFLOW_LOCATION', 'required with WORKFLOW_ENGINE=cloud');
  if (name === undefined) problems.add('WORKFLOW_NAME', 'required with WORKFLOW_ENGINE=cloud');
  if (optional(env, 'GOOGLE_CLOUD_PROJECT') === undefined) problems.add('GOOGLE_CLOUD_PROJECT', 'required with WORKFLOW_ENGINE=cloud');
  const tasksQueue = optional(env, 'TASKS_QUEUE') ?? '';
  const tasksServiceAccount = optional(env, 'TASKS_SERVICE_ACCOUNT') ?? '';
  if (role !== 'steps' && !/^projects\/[^/]+\/locations\/[^/]+\/queues\/[^/]+$/.test(tasksQueue)) {
    problems.add('TASKS_QUEUE', 'required with WORKFLOW_ENGINE=cloud: projects/P/locations/L/queues/Q');
  }
  if (role !== 'steps' && !tasksServiceAccount.includes('@')) problems.add('TASKS_SERVICE_ACCOUNT', 'required with WORKFLOW_ENGINE=cloud: a service account email');
  return { kind, location: location ?? '', name: name ?? '', tasksQueue, tasksServiceAccount };
}

function readRole(env: Env, problems: Problems): ServiceRole {
  const role = optional(env, 'SERVICE_ROLE') ?? 'all';
  if (role === 'all' || role === 'webhook' || role === 'steps') return role;
  problems.add('SERVICE_ROLE', `"${role}" is not one of all, webhook, steps`);
  return 'all';
}

function readSealKey(env: Env, engine: WorkflowEngineConfig, role: ServiceRole, problems: Problems): Buffer | null {
  const value = optional(env, 'STEP_SEAL_KEY');
  if (value === undefined) {
    if (engine.kind === 'cloud' && role !== 'webhook') problems.add('STEP_SEAL_KEY', 'required with WORKFLOW_ENGINE=cloud (32 random bytes, base64)');
    return null;
  }
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) problems.add('STEP_SEAL_KEY', 'must be 32 bytes, base64-encoded');
  return key;
}

/**
 * Firestore by default on Google Cloud, where steps instances come and go; `local` off it. A
 * database id is 4–63 of `[a-z0-9-]` (or `(default)`); a collection id has no `/` and is not `__.*__`.
 * https://cloud.google.com/firestore/docs/manage-databases#database_id
 */
function readStateStore(env: Env, engine: WorkflowEngineConfig, role: ServiceRole, problems: Problems): StateStoreConfig {
  const kind = optional(env, 'STATE_STORE') ?? (engine.kind === 'cloud' ? 'firestore' : 'local');
  if (kind === 'local') {
    if (engine.kind === 'cloud' && role === 'steps') problems.add('STATE_STORE', '"local" with WORKFLOW_ENGINE=cloud: each steps instance would keep its own runner cap');
    return { kind };
  }
  if (kind !== 'firestore') {
    problems.add('STATE_STORE', `"${kind}" is neither "local" nor "firestore"`);
    return { kind: 'local' };
  }
  const database = optional(env, 'FIRESTORE_DATABASE') ?? '(default)';
  if (database !== '(default)' && !/^[a-z][a-z0-9-]{2,61}[a-z0-9]$/.test(database)) problems.add('FIRESTORE_DATABASE', `"${database}" is not a database id`);
  const collection = optional(env, 'FIRESTORE_COLLECTION') ?? 'github-runner';
  if (collection.includes('/') || /^__.*__$/.test(collection) || collection.length > 1500) problems.add('FIRESTORE_COLLECTION', `"${collection}" is not a collection id`);
  const apiEndpoint = readUrl(env, 'FIRESTORE_API_ENDPOINT', problems);
  if (apiEndpoint === null && optional(env, 'GOOGLE_CLOUD_PROJECT') === undefined) problems.add('GOOGLE_CLOUD_PROJECT', 'required with STATE_STORE=firestore unless FIRESTORE_API_ENDPOINT is set');
  return { kind, database, apiEndpoint, collection };
}

function readTemplates(env: Env, readFile: ReadFile, problems: Problems): TemplatesConfig | null {
  const inline = optional(env, 'RUNNER_TEMPLATES_YAML');
  const path = optional(env, 'RUNNER_TEMPLATES') ?? 'runner-templates.yaml';
  const variable = inline === undefined ? 'RUNNER_TEMPLATES' : 'RUNNER_TEMPLATES_YAML';
  let source = inline;
  if (source === undefined) {
    try {
      source = readFile(path);
    } catch {
      problems.add('RUNNER_TEMPLATES', `cannot read templates file "${path}"`);
      return null;
    }
  }
  try {
    return parseTemplatesFile(source);
  } catch (error) {
    if (!(error instanceof TemplatesFileError)) throw error;
    for (const problem of error.problems) problems.add(`${variable} (${inline === undefined ? path : 'inline'})`, problem);
    return null;
  }
}

/** Reads and validates the whole configuration; throws a ConfigError naming every bad variable or field. */
export function loadConfig(env: Env, readFile: ReadFile): AppConfig {
  const problems = new Problems();
  const role = readRole(env, problems);
  const workflowEngine = readEngine(env, role, problems);
  const project = optional(env, 'GOOGLE_CLOUD_PROJECT');
  if (project !== undefined && !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(project)) {
    problems.add('GOOGLE_CLOUD_PROJECT', `"${project}" is not a project id`);
  }
  const github = readGitHub(env, role, readFile, problems);
  const config: AppConfig = {
    port: readPort(env, problems),
    role,
    github,
    googleCloudProject: project ?? 'local-project',
    computeApiEndpoint: readUrl(env, 'COMPUTE_API_ENDPOINT', problems),
    useRealCompute: project !== undefined,
    workflowEngine,
    templates: readTemplates(env, readFile, problems) ?? { templates: [], access: { owners: [], repositories: [], publicRepositories: false } },
    sealKey: readSealKey(env, workflowEngine, role, problems),
    stepsUrl: readUrl(env, 'STEPS_URL', problems),
    stateStore: readStateStore(env, workflowEngine, role, problems),
    dataDir: optional(env, 'DATA_DIR') ?? null,
    setup: readSetup(env, role, github, problems),
    runnerReleasesUrl: readUrl(env, 'RUNNER_RELEASES_URL', problems),
  };
  if (workflowEngine.kind === 'cloud' && config.stepsUrl === null) problems.add('STEPS_URL', 'required with WORKFLOW_ENGINE=cloud');
  // Read where they are used (runner-name.ts, step-deps.ts); checked here so a bad value stops the start.
  const namePrefix = optional(env, 'RUNNER_NAME_PREFIX');
  if (namePrefix !== undefined && !runnerNamePrefixPattern.test(namePrefix)) problems.add('RUNNER_NAME_PREFIX', 'lowercase letters, digits and dashes, starting with a letter, at most 22 characters');
  const managedBy = optional(env, 'MANAGED_BY_LABEL');
  if (managedBy !== undefined && !/^[a-z][a-z0-9_-]{0,62}$/.test(managedBy)) problems.add('MANAGED_BY_LABEL', 'a label value: lowercase letters, digits, _ and -, starting with a letter, at most 63 characters');
  if (problems.list.length > 0) throw new ConfigError(problems.list);
  return Object.freeze(config);
}
