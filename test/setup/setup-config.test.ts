import test from 'ava';
import { ConfigError, loadConfig, type Env } from '../../handlers/config/load-config.ts';

const templates = 'templates:\n  - name: linux\n    labels: [self-hosted, linux]\n';
const load = (env: Env) => loadConfig({ RUNNER_TEMPLATES_YAML: templates, ...env }, () => '');
const problems = (env: Env) => {
  try {
    load(env);
    return [];
  } catch (error) {
    return error instanceof ConfigError ? [...error.problems] : [String(error)];
  }
};

test('GITHUB_API_URL alone (a real GitHub, no App yet) keeps the App /setup creates under DATA_DIR', (t) => {
  const config = load({ GITHUB_API_URL: 'https://ghe.example.com/api/v3', DATA_DIR: 'state' });
  t.like(config.github, { apiUrl: 'https://ghe.example.com/api/v3', credentialsFile: 'state/github-app.json', credentialsSecret: null, appId: null });
  t.like(config.setup, { token: null, publicUrl: null });
});

test('on Google Cloud the App comes from a mounted secret file, and /setup writes the secret with the setup token', (t) => {
  const config = load({ GITHUB_APP_CREDENTIALS_FILE: '/secrets/github-app/github-app.json', GITHUB_APP_CREDENTIALS_SECRET: 'projects/p/secrets/gh-runner-github-app', SETUP_TOKEN: 'x'.repeat(32), PUBLIC_URL: 'https://hook.example.test' });
  t.like(config.github, { credentialsFile: '/secrets/github-app/github-app.json', credentialsSecret: 'projects/p/secrets/gh-runner-github-app' });
  t.like(config.setup, { publicUrl: 'https://hook.example.test' });
});

test('the steps role reads the App file but serves no /setup', (t) => {
  const config = load({ SERVICE_ROLE: 'steps', GITHUB_APP_CREDENTIALS_FILE: '/secrets/a.json', GITHUB_APP_CREDENTIALS_SECRET: 'projects/p/secrets/s' });
  t.is(config.setup, null);
});

test('a bad setup configuration is refused naming each variable, never echoing the token', (t) => {
  const found = problems({ GITHUB_APP_CREDENTIALS_FILE: '/a.json', GITHUB_APP_ID: '1', GITHUB_APP_CREDENTIALS_SECRET: 'secret-name', SETUP_TOKEN: 'short-token' });
  t.true(found.some((p) => p.startsWith('GITHUB_APP_CREDENTIALS_FILE: not with GITHUB_APP_ID')));
  t.true(found.some((p) => p.startsWith('GITHUB_APP_CREDENTIALS_SECRET:')));
  t.true(found.some((p) => p.startsWith('SETUP_TOKEN: at least 16')));
  t.false(found.join('\n').includes('short-token'));
  t.true(problems({ GITHUB_APP_CREDENTIALS_FILE: '/a.json', GITHUB_APP_CREDENTIALS_SECRET: 'projects/p/secrets/s' }).some((p) => p.startsWith('SETUP_TOKEN: required')));
});

test('the runner name prefix and managed-by label are checked at start-up', (t) => {
  const found = problems({ RUNNER_NAME_PREFIX: 'Bad_Prefix', MANAGED_BY_LABEL: 'Not A Label' });
  t.true(found.some((p) => p.startsWith('RUNNER_NAME_PREFIX:')));
  t.true(found.some((p) => p.startsWith('MANAGED_BY_LABEL:')));
  t.deepEqual(problems({ RUNNER_NAME_PREFIX: 'gh-runner-', MANAGED_BY_LABEL: 'gh-runner' }), []);
});
