import test from 'ava';
import { loadConfig } from '../../handlers/config/load-config.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { MetricStore } from '../../handlers/metrics/metric-store.ts';
import { startSystem } from '../../handlers/system/start-system.ts';
import { executionEnd, eventually, startTestSystem, testTemplates } from '../helpers/system.ts';

const status = async (url: string, init?: RequestInit) => (await fetch(url, init)).status;

test('the public webhook role serves neither the dashboard nor /metrics, on Google Cloud or locally', async (t) => {
  const cloud = { WORKFLOW_ENGINE: 'cloud', WORKFLOW_LOCATION: 'us-central1', WORKFLOW_NAME: 'runner', GOOGLE_CLOUD_PROJECT: 'my-project-1', STEPS_URL: 'https://steps.example.com', TASKS_QUEUE: 'projects/my-project-1/locations/us-central1/queues/jobs', TASKS_SERVICE_ACCOUNT: 'tasks@my-project-1.iam.gserviceaccount.com', COMPUTE_API_ENDPOINT: 'http://127.0.0.1:9' };
  for (const env of [cloud, {}]) {
    const config = loadConfig({ PORT: '0', RUNNER_TEMPLATES_YAML: testTemplates(), SERVICE_ROLE: 'webhook', GITHUB_WEBHOOK_SECRET: 's3cret', ...env }, () => {
      throw new Error('no files in tests');
    });
    const metrics = new MetricStore();
    const system = await startSystem(config, { log: createMemoryLogger('info', (fields) => metrics.add(fields)).log, metrics });
    try {
      for (const path of ['/', '/metrics']) t.is(await status(`${system.url}${path}`), 404, `${path} with ${env === cloud ? 'cloud' : 'embedded'}`);
      t.is(await status(`${system.url}/dashboard/executions/x/rerun`, { method: 'POST' }), 404);
    } finally {
      await system.close();
    }
  }
});

test('the re-run button refuses an execution that succeeded, an unknown one, and a press from another site', async (t) => {
  const world = await startTestSystem();
  try {
    const job = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    await eventually(() => world.github.job(job.id)?.status === 'in_progress', 15_000, 'job in progress');
    await world.github.completeJob(job.id, 'success');
    const [execution] = world.engine.listExecutions('runner');
    await executionEnd(world, execution!.name);
    const id = execution!.name.split('/').pop()!;
    const rerun = (which: string, headers: Record<string, string> = {}) => fetch(`${world.url}/dashboard/executions/${which}/rerun`, { method: 'POST', headers, redirect: 'manual' });
    t.is((await rerun(id)).status, 409);
    t.is((await rerun('no-such-execution')).status, 404);
    t.is((await rerun(id, { origin: 'https://evil.example' })).status, 403);
    t.is(world.engine.listExecutions('runner').length, 1);
  } finally {
    await world.system.close();
  }
});

test('/metrics is the Prometheus text format: HELP and TYPE for every metric, cumulative buckets ending at +Inf', async (t) => {
  const world = await startTestSystem();
  try {
    await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    await eventually(() => world.metrics.count('jobs_started') === 1, 15_000, 'the job started');
    const response = await fetch(`${world.url}/metrics`);
    t.regex(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    t.regex(text, /^# TYPE ghr_queue_time_seconds histogram$/m);
    t.regex(text, /^ghr_queue_time_seconds_bucket\{template="linux",le="\+Inf"\} 1$/m);
    t.regex(text, /^ghr_queue_time_seconds_count\{template="linux"\} 1$/m);
    t.regex(text, /^ghr_live_vms_now\{template="linux"\} 1$/m);
    t.regex(text, /^ghr_executions\{state="active"\} 1$/m);
    const buckets = [...text.matchAll(/^ghr_vm_create_seconds_bucket\{[^}]*\} (\d+)$/gm)].map((match) => Number(match[1]));
    t.deepEqual([...buckets].sort((a, b) => a - b), buckets, 'cumulative');
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) t.regex(line, /^[a-z_:]+(\{[^}]*\})? [\d.e+-]+$/, line);
  } finally {
    await world.system.close();
  }
});
