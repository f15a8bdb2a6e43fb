// Run in a child process by test/compute/lazy-client-libraries.test.ts: a fresh process, so that
// what it reports loaded is what this service loaded, not another test's imports.
import { createRequire } from 'node:module';
import { loadConfig } from '../../handlers/config/load-config.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { startSystem } from '../../handlers/system/start-system.ts';
import { workflowJobPayload } from '../fixtures/workflow-job.ts';
import { deliver } from './deliver.ts';
import { eventually, testTemplates } from './system.ts';

// The client modules, not the package: the in-process Compute simulator reads the API's protos.json.
const libraries = ['@google-cloud/compute/build/src/', 'google-gax/', 'google-auth-library/'];
/** CommonJS modules imported from ESM go through the CommonJS loader too, so its cache lists them. */
const loaded = () => {
  const paths = Object.keys(createRequire(import.meta.url).cache);
  return libraries.filter((library) => paths.some((path) => path.includes(`/node_modules/${library}`)));
};

const role = process.argv[2];
const env: Record<string, string> =
  role === 'webhook'
    ? { SERVICE_ROLE: 'webhook', GITHUB_WEBHOOK_SECRET: 's3cret', WORKFLOW_ENGINE: 'cloud', WORKFLOW_LOCATION: 'us-central1', WORKFLOW_NAME: 'runner', GOOGLE_CLOUD_PROJECT: 'my-project-1', STEPS_URL: 'https://steps.example.com', TASKS_QUEUE: 'projects/my-project-1/locations/us-central1/queues/jobs', TASKS_SERVICE_ACCOUNT: 'tasks@my-project-1.iam.gserviceaccount.com', COMPUTE_API_ENDPOINT: 'http://127.0.0.1:9' }
    : {};
const config = loadConfig({ PORT: '0', RUNNER_TEMPLATES_YAML: testTemplates(), ...env }, () => {
  throw new Error('no files here');
});
const system = await startSystem(config, { log: createMemoryLogger('info').log, connectRunners: false });
const secret = system.world.github?.webhookSecret ?? 's3cret';
const ignored = await deliver(system.url, secret, workflowJobPayload({ jobId: 1, labels: ['self-hosted', 'k8s'] }));
const report: Record<string, unknown> = { ignored: ignored.status, afterWebhook: loaded() };
if (role === 'embedded') {
  // The simulator delivers the job's queued event to the service, as GitHub would.
  await system.world.github!.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
  await eventually(() => system.world.compute!.instances().length > 0, 20_000, 'a VM');
  report['afterVm'] = loaded();
}
await system.close();
process.stdout.write(JSON.stringify(report));
process.exit(0);
