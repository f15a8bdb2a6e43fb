import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from './config/load-config.ts';
import { createLogger } from './log/logger.ts';
import { MetricStore } from './metrics/metric-store.ts';
import { startSystem } from './system/start-system.ts';

/** Entry point: read the configuration, start everything, stop cleanly on SIGTERM (Cloud Run) or Ctrl-C. */
async function main(): Promise<void> {
  let config;
  try {
    // Single-machine mode against a real GitHub (an App given, or GITHUB_API_URL alone: /setup creates
    // one) keeps its state across restarts by default. With the simulators (which forget everything
    // on exit) there is nothing consistent to resume.
    const realGitHub = process.env['GITHUB_APP_ID'] !== undefined || process.env['GITHUB_API_URL'] !== undefined;
    const keepState = process.env['DATA_DIR'] === undefined && process.env['WORKFLOW_ENGINE'] !== 'cloud' && realGitHub;
    const env = keepState ? { ...process.env, DATA_DIR: '.data' } : process.env;
    config = loadConfig(env, (path) => readFileSync(path, 'utf8'));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  // Only where the local dashboard is served: on Cloud Run the log lines are the metrics, and the
  // webhook keeps no tally of its own.
  const metrics = config.workflowEngine.kind === 'embedded' && config.role !== 'webhook' ? new MetricStore() : undefined;
  const log = createLogger(metrics ? { onMetric: (fields) => metrics.add(fields) } : {});
  let system;
  try {
    system = await startSystem(config, { log, ...(metrics ? { metrics } : {}), host: process.env['HOST'] ?? (process.env['K_SERVICE'] ? '0.0.0.0' : '127.0.0.1'), bootDelayMs: 2000, autoRunMs: 5000 });
  } catch (error) {
    // e.g. the port or the data directory is taken by another instance: say so, without a stack.
    process.stderr.write(`cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const lines = [`google-cloud-github-runner (${config.role}) listening on ${system.url}`, `  webhook:           ${system.url}/webhook`];
  if (system.embedded && config.role !== 'webhook') lines.push(`  dashboard:         ${system.url}/ (Prometheus: ${system.url}/metrics)`);
  if (system.embedded) lines.push(`  workflow engine:   ${system.url}/v1/… (npm run cli -- executions list)`);
  if (system.world.github) lines.push(`  GitHub simulator:  ${system.world.github.url}`);
  if (system.world.compute) lines.push(`  Compute simulator: ${system.world.compute.url}`);
  if (system.world.github) lines.push('  try: npm run simulate');
  // The setup token goes to the terminal only, never to the JSON log (which may be shipped elsewhere).
  // On Google Cloud, Terraform holds it: `terraform output -raw setup_token`.
  if (system.setupToken !== null && config.setup?.token === null) lines.push(`  setup:             ${config.setup.publicUrl ?? system.url}/setup  (setup token: ${system.setupToken})`);
  else if (system.setupToken !== null) lines.push(`  setup:             ${config.setup?.publicUrl ?? system.url}/setup`);
  process.stderr.write(`${lines.join('\n')}\n`);
  log.info({ url: system.url, role: config.role }, 'ready');
  const stop = (signal: string) => {
    log.info({ signal }, 'stopping: draining in-flight requests');
    system.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

await main();
