import { createLogger } from '../handlers/log/logger.ts';
import { executionsTarget } from './executions-target.ts';
import { printTimeline } from './print-timeline.ts';

/**
 * Drives a running `npm start`: the GitHub simulator queues a job and sends the signed
 * `workflow_job` deliveries; the simulated VM's runner takes it and finishes it; this prints the
 * execution's step timeline once it has ended.
 */
const appUrl = (process.env['APP_URL'] ?? `http://127.0.0.1:${process.env['PORT'] ?? '8080'}`).replace(/\/+$/, '');
const write = (line: string) => process.stdout.write(`${line}\n`);

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function main(): Promise<void> {
  const local = await json<{ githubSimulator: string | null }>(`${appUrl}/_local`).catch(() => {
    throw new Error(`no local system at ${appUrl}: run \`npm start\` first`);
  });
  if (!local.githubSimulator) throw new Error('this system runs against real GitHub: nothing to simulate');
  const labels = (process.env['LABELS'] ?? 'self-hosted,linux,x64,small').split(',');
  const job = await json<{ id: number }>(`${local.githubSimulator}/_sim/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ owner: 'octo-org', repo: 'hello-world', labels }),
  });
  write(`queued job ${job.id} with labels [${labels.join(', ')}]`);
  const { executions, stepEntriesUrl } = executionsTarget(process.env, createLogger({ level: 'warn' }));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const page = await executions.listExecutions({ pageSize: 50 });
    for (const summary of page.executions) {
      const execution = await executions.getExecution(summary.id);
      if ((JSON.parse(execution.argument ?? '{}') as { jobId?: number }).jobId !== job.id) continue;
      if (execution.state === 'ACTIVE') break;
      write(`execution ${execution.id}: ${execution.state}`);
      write(`  result: ${execution.result ?? execution.error?.payload ?? ''}`);
      if (stepEntriesUrl) await printTimeline(stepEntriesUrl(execution.id), write);
      await executions.close();
      return;
    }
    if (Date.now() > deadline) throw new Error(`job ${job.id}: no finished execution within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
