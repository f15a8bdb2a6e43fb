import { generateKeyPairSync } from 'node:crypto';
import test from 'ava';
import { ConfigError, loadConfig, type Env } from '../../handlers/config/load-config.ts';

const templatesYaml = `
defaults:
  zones: [europe-west1-b]
templates:
  - name: linux
    labels: [Self-Hosted, Linux]
    idleTimeout: 90s
access:
  owners: [My-Org]
`;
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

function files(entries: Record<string, string>) {
  return (path: string): string => {
    const content = entries[path];
    if (content === undefined) throw new Error(`ENOENT: ${path}`);
    return content;
  };
}

function problemsOf(env: Env, readFile = files({ 'runner-templates.yaml': templatesYaml })): readonly string[] {
  try {
    loadConfig(env, readFile);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

test('with no environment, runs locally against the simulators with the templates file applied', (t) => {
  const config = loadConfig({}, files({ 'runner-templates.yaml': templatesYaml }));
  t.is(config.port, 8080);
  t.is(config.github, null);
  t.is(config.computeApiEndpoint, null);
  t.false(config.useRealCompute);
  t.deepEqual(config.workflowEngine, { kind: 'embedded' });
  const template = config.templates.templates[0]!;
  t.deepEqual(template.labels, ['self-hosted', 'linux']);
  t.deepEqual(template.zones, ['europe-west1-b']);
  t.is(template.idleTimeoutSeconds, 90);
  t.is(template.maxRunDurationSeconds, 6 * 3600);
  t.is(template.machineType, 'e2-standard-2');
  t.deepEqual(config.templates.access.owners, ['my-org']);
  t.false(config.templates.access.publicRepositories);
  t.true(Object.isFrozen(config));
});

test('a GitHub App configuration is read whole, with a one-line PEM unescaped', (t) => {
  const config = loadConfig(
    { GITHUB_APP_ID: '123', GITHUB_APP_PRIVATE_KEY: privateKey.replace(/\n/g, '\\n'), GITHUB_WEBHOOK_SECRET: 's3cret', GITHUB_API_URL: 'https://ghe.example.com/api/v3/' },
    files({ 'runner-templates.yaml': templatesYaml }),
  );
  t.is(config.github?.privateKey, privateKey);
  t.is(config.github?.apiUrl, 'https://ghe.example.com/api/v3');
});

test('the private key can come from a file', (t) => {
  const config = loadConfig(
    { GITHUB_APP_ID: '123', GITHUB_APP_PRIVATE_KEY_FILE: '/keys/app.pem', GITHUB_WEBHOOK_SECRET: 's3cret' },
    files({ 'runner-templates.yaml': templatesYaml, '/keys/app.pem': privateKey }),
  );
  t.is(config.github?.privateKey, privateKey);
});

test('every bad variable is reported at once, by name', (t) => {
  const problems = problemsOf({ PORT: 'eighty', GITHUB_APP_ID: '123', WORKFLOW_ENGINE: 'cloud', COMPUTE_API_ENDPOINT: 'ftp://x', SERVICE_ROLE: 'both' });
  const named = problems.map((problem) => problem.split(':')[0]);
  for (const variable of ['PORT', 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_WEBHOOK_SECRET', 'WORKFLOW_LOCATION', 'WORKFLOW_NAME', 'GOOGLE_CLOUD_PROJECT', 'COMPUTE_API_ENDPOINT', 'SERVICE_ROLE', 'STEP_SEAL_KEY', 'STEPS_URL']) {
    t.true(named.includes(variable), `${variable} is named in ${JSON.stringify(problems)}`);
  }
});

test('a secret value is never echoed in a configuration error', (t) => {
  const problems = problemsOf({ GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: 'hunter2-not-a-pem', GITHUB_WEBHOOK_SECRET: 'whsec-value', STEP_SEAL_KEY: 'c2hvcnQ=' });
  const text = problems.join('\n');
  t.regex(text, /GITHUB_APP_PRIVATE_KEY: not a PEM private key/);
  t.regex(text, /STEP_SEAL_KEY: must be 32 bytes/);
  t.false(text.includes('hunter2'));
  t.false(text.includes('whsec-value'));
  t.false(text.includes('c2hvcnQ='));
});

test('templates file problems name the field', (t) => {
  const bad = `
templates:
  - name: linux
    labels: [linux]
    machineType: zones/us-central1-a/machineTypes/e2-small
  - name: gpu
    labels: []
    idleTimeout: ten minutes
    zones: [nowhere]
  - name: linux
    labels: [x]
`;
  const problems = problemsOf({}, files({ 'runner-templates.yaml': bad }));
  const text = problems.join('\n');
  t.regex(text, /templates\[0\]\.machineType: a bare machine type/);
  t.regex(text, /templates\[1\]\.labels/);
  t.regex(text, /templates\[1\]\.idleTimeout: a duration/);
  t.regex(text, /templates\[1\]\.zones\[0\]: a zone/);
});

test('a template name used twice is refused', (t) => {
  const problems = problemsOf({}, files({ 'runner-templates.yaml': 'templates:\n  - {name: a, labels: [x]}\n  - {name: a, labels: [y]}\n' }));
  t.regex(problems.join(), /templates\[1\]\.name: "a" is used twice/);
});

test('unknown fields are refused rather than silently ignored', (t) => {
  const problems = problemsOf({}, files({ 'runner-templates.yaml': 'templates:\n  - {name: a, labels: [x], machinetype: e2-small}\n' }));
  t.regex(problems.join(), /templates\[0\].*machinetype/);
});

test('a missing or unparsable templates file is reported', (t) => {
  t.regex(problemsOf({ RUNNER_TEMPLATES: '/nope.yaml' }).join(), /RUNNER_TEMPLATES: cannot read templates file "\/nope.yaml"/);
  t.regex(problemsOf({ RUNNER_TEMPLATES_YAML: 'templates: [' }).join(), /RUNNER_TEMPLATES_YAML \(inline\): not valid YAML/);
});

test('the repository ships a valid templates file', async (t) => {
  const { readFileSync } = await import('node:fs');
  const config = loadConfig({}, (path) => readFileSync(path, 'utf8'));
  t.true(config.templates.templates.length > 0);
});

test('each Cloud Run role needs only its own secrets', (t) => {
  const cloud = { WORKFLOW_ENGINE: 'cloud', WORKFLOW_LOCATION: 'us-central1', WORKFLOW_NAME: 'runner', GOOGLE_CLOUD_PROJECT: 'my-project-1', STEPS_URL: 'https://steps.example.com', TASKS_QUEUE: 'projects/my-project-1/locations/us-central1/queues/jobs', TASKS_SERVICE_ACCOUNT: 'tasks@my-project-1.iam.gserviceaccount.com' };
  t.deepEqual(problemsOf({ ...cloud, SERVICE_ROLE: 'webhook', GITHUB_WEBHOOK_SECRET: 's' }), []);
  t.deepEqual(problemsOf({ ...cloud, SERVICE_ROLE: 'steps', GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: privateKey, STEP_SEAL_KEY: Buffer.alloc(32, 1).toString('base64') }), []);
  const stepsWithoutKey = problemsOf({ ...cloud, SERVICE_ROLE: 'steps', GITHUB_APP_ID: '1' }).join('\n');
  t.regex(stepsWithoutKey, /GITHUB_APP_PRIVATE_KEY: required \(SERVICE_ROLE=steps\)/);
  t.regex(stepsWithoutKey, /STEP_SEAL_KEY/);
  t.notRegex(stepsWithoutKey, /^GITHUB_WEBHOOK_SECRET/m);
});

test('RUNNER_RELEASES_URL points the runner release lookup elsewhere, and must be an http(s) URL', (t) => {
  const readFile = files({ 'runner-templates.yaml': templatesYaml });
  t.is(loadConfig({}, readFile).runnerReleasesUrl, null);
  const url = 'https://api.github.com/repos/actions/runner/releases/latest';
  t.is(loadConfig({ RUNNER_RELEASES_URL: url }, readFile).runnerReleasesUrl, url);
  t.deepEqual(problemsOf({ RUNNER_RELEASES_URL: 'api.github.com/repos/actions/runner' }), ['RUNNER_RELEASES_URL: "api.github.com/repos/actions/runner" is not an http(s) URL']);
});
