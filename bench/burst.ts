import type { InstanceStatusEvent } from '../simulators/compute/sim-types.ts';
import { executionsTarget } from '../scripts/executions-target.ts';
import { progress, type Scenario } from './scenario.ts';
import { benchProject, startServiceAgainstSimulators } from './service-process.ts';
import { fmtMb, sleep, until } from './stats.ts';
import { benchLogger } from './system.ts';

const name = 'burst';
const jobs = 1000;
const createsPerSecond = 20;
/** createJob calls in flight at once: the webhook path must keep the create queue full, never starve it. */
const senders = 50;
/** Past the target with margin: a slower run reports how far it got instead of running on. */
const deadlineMs = 90_000;

/** How many of the service's executions ended in each state, read through its Executions API. */
async function executionStates(url: string): Promise<Map<string, number>> {
  const { executions } = executionsTarget({ APP_URL: url, GOOGLE_CLOUD_PROJECT: benchProject }, benchLogger());
  const states = new Map<string, number>();
  try {
    let pageToken: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof executions.listExecutions>> = await executions.listExecutions({ pageSize: 1000, ...(pageToken ? { pageToken } : {}) });
      for (const execution of page.executions) states.set(execution.state, (states.get(execution.state) ?? 0) + 1);
      pageToken = page.nextPageToken;
    } while (pageToken);
  } finally {
    await executions.close();
  }
  return states;
}

/**
 * 1,000 queued jobs at once under the create limit of 20/s: how long until every job's VM exists
 * at the Compute simulator, the service's peak RSS meanwhile, and whether any VM was asked for twice.
 * The service runs as `npm start` runs it against a real GitHub App (single-machine mode: embedded
 * engine, journal in DATA_DIR), in its own process; the simulators standing in for GitHub and
 * Compute Engine, and this driver, run in this one, so the RSS measured is the service's alone.
 * Runners do not connect, so the run measures VM creation alone: every execution ends the burst
 * waiting for its runner.
 */
export const run: Scenario = async () => {
  // maxRunners counts live VMs of the template, so it must exceed the burst for none of the jobs to wait.
  const { github, compute, service, close } = await startServiceAgainstSimulators({ maxRunners: jobs + 100, connectRunners: false });
  await sleep(1000); // past start-up's own allocations
  const idleRss = service.memory().rss;
  const inserted = new Set<string>();
  let allInsertedAt = 0;
  let lastInsertAt = 0;
  const started = performance.now();
  compute.onInstanceStatus((event: InstanceStatusEvent) => {
    if (event.status !== 'PROVISIONING') return;
    lastInsertAt = performance.now();
    inserted.add(event.name);
    if (inserted.size === jobs) allInsertedAt = lastInsertAt;
  });
  let peakSampled = service.memory().rss;
  const sampler = setInterval(() => void (peakSampled = Math.max(peakSampled, service.memory().rss)), 50);
  let lastReport = 0;
  const reporter = setInterval(() => {
    const seconds = (performance.now() - started) / 1000;
    if (seconds - lastReport >= 10) {
      lastReport = seconds;
      progress(name, `${seconds.toFixed(0)} s: ${inserted.size} VMs, service RSS ${fmtMb(service.memory().rss)}`);
    }
  }, 1000);
  let webhooksDoneAt = 0;
  let insertedAtDeadline = 0;
  let peak = 0;
  let states = new Map<string, number>();
  try {
    let next = 0;
    const sender = async () => {
      while (next < jobs) {
        next += 1;
        await github.createJob({ owner: 'octo-org', repo: `app-${next % 10}`, labels: ['self-hosted', 'linux'] });
      }
    };
    await Promise.all(Array.from({ length: senders }, () => sender()));
    webhooksDoneAt = performance.now();
    progress(name, `${jobs} queued webhooks accepted in ${((webhooksDoneAt - started) / 1000).toFixed(1)} s`);
    await until(() => allInsertedAt > 0 && allInsertedAt, deadlineMs - (webhooksDoneAt - started), `${jobs} VMs`, 20).catch(() => 0);
    insertedAtDeadline = inserted.size;
    peak = Math.max(peakSampled, service.memory().peak);
    // Late duplicates would come from retried steps or redelivered tasks: wait for 3 s without an insert (at most 10 s).
    if (allInsertedAt > 0) await until(() => performance.now() - lastInsertAt > 3000, 10_000, 'inserts to settle', 100).catch(() => undefined);
    states = await executionStates(service.url);
  } finally {
    clearInterval(reporter);
    clearInterval(sampler);
    await close();
  }
  const insertsByName = new Map<string, number>();
  for (const call of compute.calls()) {
    if (call.call !== 'insert') continue;
    const vm = String((call.body as { name?: unknown } | null)?.name);
    insertsByName.set(vm, (insertsByName.get(vm) ?? 0) + 1);
  }
  const vmsByJob = new Map<string, number>();
  for (const instance of compute.instances()) {
    const jobId = ((instance['labels'] ?? {}) as Record<string, string>)['job-id'] ?? '?';
    vmsByJob.set(jobId, (vmsByJob.get(jobId) ?? 0) + 1);
  }
  const duplicateInserts = [...insertsByName.values()].filter((count) => count > 1).length;
  const duplicateVms = [...vmsByJob.values()].filter((count) => count > 1).length;
  const totalSeconds = allInsertedAt > 0 ? (allInsertedAt - started) / 1000 : Number.NaN;
  const floorSeconds = (jobs - 1) / createsPerSecond;
  const executionCount = [...states.values()].reduce((a, b) => a + b, 0);
  return {
    rows: [
      {
        metric: `burst: time until ${jobs} VMs exist`,
        value: allInsertedAt > 0 ? `${totalSeconds.toFixed(1)} s` : `only ${insertedAtDeadline} after ${deadlineMs / 1000} s`,
        target: '≤ 55 s',
        pass: allInsertedAt > 0 && totalSeconds <= 55,
      },
      { metric: 'burst: service RSS at idle, before the burst', value: fmtMb(idleRss), target: '≤ 200 MB', pass: idleRss <= 200 * 1024 * 1024 },
      { metric: 'burst: peak RSS (service process)', value: fmtMb(peak), target: '≤ 300 MB', pass: peak <= 300 * 1024 * 1024 },
      {
        metric: 'burst: duplicates (names inserted twice, jobs with 2+ VMs)',
        value: `${duplicateInserts}, ${duplicateVms}`,
        target: '0, 0',
        pass: duplicateInserts === 0 && duplicateVms === 0,
      },
    ],
    notes: [
      `burst: ${jobs} jobs sent by ${senders} concurrent createJob calls (GitHub simulator signs and delivers each), all accepted after ${((webhooksDoneAt - started) / 1000).toFixed(1)} s; ` +
        `create limit ${createsPerSecond}/s makes ${floorSeconds.toFixed(2)} s the floor; runners not connecting; ${inserted.size} VMs, ${[...insertsByName.values()].reduce((a, b) => a + b, 0)} insert calls, ` +
        `${executionCount} executions (${[...states].map(([state, count]) => `${count} ${state}`).join(', ')}).`,
      `burst: the service ran as \`npm start\` against a GitHub App (embedded engine, journal in a temporary DATA_DIR) in its own process; peak RSS = the larger of its RSS sampled every 50 ms and the kernel's VmHWM. ` +
        `The simulators and the driver ran in the bench's process (peak RSS ${fmtMb(process.resourceUsage().maxRSS * 1024)}).`,
    ],
  };
};
