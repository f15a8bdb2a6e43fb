import test from 'ava';
import { ConfigError, loadConfig, type Env } from '../../handlers/config/load-config.ts';

const templates = `
templates:
  - name: linux
    labels: [self-hosted, linux]
`;
const cloud = {
  WORKFLOW_ENGINE: 'cloud',
  WORKFLOW_LOCATION: 'us-central1',
  WORKFLOW_NAME: 'runner',
  GOOGLE_CLOUD_PROJECT: 'my-project-1',
  STEPS_URL: 'https://steps.example.com',
  SERVICE_ROLE: 'steps',
  GITHUB_APP_ID: '1',
  GITHUB_APP_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----',
  STEP_SEAL_KEY: Buffer.alloc(32, 1).toString('base64'),
};

const load = (env: Env) => loadConfig({ RUNNER_TEMPLATES_YAML: templates, ...env }, () => '');
function problemsOf(env: Env): string[] {
  try {
    load(env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.problems];
  }
}

test('off Google Cloud the state stays in this process (journalled with DATA_DIR): npm start needs nothing', (t) => {
  t.deepEqual(load({}).stateStore, { kind: 'local' });
});

test('with the cloud engine the state is in Firestore by default, in the (default) database and the github-runner collection', (t) => {
  t.deepEqual(load(cloud).stateStore, { kind: 'firestore', database: '(default)', apiEndpoint: null, collection: 'github-runner' });
  t.deepEqual(load({ ...cloud, FIRESTORE_DATABASE: 'gh-runner-state', FIRESTORE_COLLECTION: 'runners' }).stateStore, {
    kind: 'firestore',
    database: 'gh-runner-state',
    apiEndpoint: null,
    collection: 'runners',
  });
});

test('Firestore through an http:// endpoint (the simulator) needs no project', (t) => {
  t.like(load({ STATE_STORE: 'firestore', FIRESTORE_API_ENDPOINT: 'http://127.0.0.1:8681/' }).stateStore, { kind: 'firestore', apiEndpoint: 'http://127.0.0.1:8681' });
});

test('a steps service on Google Cloud refuses a state store of its own: each instance would keep its own runner cap', (t) => {
  t.deepEqual(problemsOf({ ...cloud, STATE_STORE: 'local' }), ['STATE_STORE: "local" with WORKFLOW_ENGINE=cloud: each steps instance would keep its own runner cap']);
});

test('every bad state setting is named at once', (t) => {
  const problems = problemsOf({ STATE_STORE: 'firestore', FIRESTORE_DATABASE: 'Bad_Name', FIRESTORE_COLLECTION: 'a/b', FIRESTORE_API_ENDPOINT: 'grpc://x' });
  t.deepEqual(problems.map((problem) => problem.split(':')[0]), ['FIRESTORE_DATABASE', 'FIRESTORE_COLLECTION', 'FIRESTORE_API_ENDPOINT', 'GOOGLE_CLOUD_PROJECT']);
  t.deepEqual(problemsOf({ STATE_STORE: 'redis' }), ['STATE_STORE: "redis" is neither "local" nor "firestore"']);
});
