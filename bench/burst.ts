import type { InstanceStatusEvent } from '../simulators/compute/sim-types.ts';
import { progress, type Scenario } from './scenario.ts';
import { fmtMb, sampleRss, sleep, until } from './stats.ts';
import { startBenchSystem } from './system.ts';

const name = 'burst';
const jobs = 1000;
const createsPerSecond = 20;
/** createJob calls in flight at once: the webhook path must keep the create queue full, never starve it. */
const senders = 50;
/** Past the target with margin: a slower run reports how far it got instead of running on. */
const deadlineMs = 90_000;

/**
 * 1,000 queued jobs at once under the create limit of 20/s: how long until every job's VM exists
 * at the Compute simulator, the process's peak RSS meanwhile, and whether any VM was asked for twice.
 * Runners do not connect (`connectRunners: false`), so the run measures VM creation alone: every
 * execution ends the burst waiting for its runner.
 */
export const run: Scenario = async () => {
  const { system, github, compute, embedded, engine } = await startBenchSystem({ connectRunners: false, createsPerSecond, maxRunners: jobs + 100 });
  const inserted = new Set<string>();
  let allInsertedAt = 0;
  const started = performance.now();
  compute.onInstanceStatus((event: InstanceStatusEvent) => {
    if (event.status !== 'PROVISIONING') return;
    inserted.add(event.name);
    if (inserted.size === jobs) allInsertedAt = performance.now();
  });
  const rss = sampleRss(50);
  let lastReport = 0;
  const reporter = setInterval(() => {
    const seconds = (performance.now() - started) / 1000;
    if (seconds - lastReport >= 10) {
      lastReport = seconds;
      progress(name, `${seconds.toFixed(0)} s: ${inserted.size} VMs, RSS ${fmtMb(process.memoryUsage.rss())}`);
    }
  }, 1000);
  let webhooksDoneAt = 0;
  let memory: ReturnType<ReturnType<typeof sampleRss>['stop']>;
  let insertedAtDeadline = 0;
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
    memory = rss.stop();
    insertedAtDeadline = inserted.size;
    // Late duplicates would come from retried steps or redelivered tasks: let the queues drain first (bounded).
    if (allInsertedAt > 0) await Promise.race([embedded.queue.idle(), sleep(10_000)]);
  } finally {
    clearInterval(reporter);
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
  const executions = engine.listExecutions('runner');
  const failed = executions.filter((execution) => execution.state === 'FAILED').length;
  await system.close();
  const duplicateInserts = [...insertsByName.values()].filter((count) => count > 1).length;
  const duplicateVms = [...vmsByJob.values()].filter((count) => count > 1).length;
  const totalSeconds = allInsertedAt > 0 ? (allInsertedAt - started) / 1000 : Number.NaN;
  const floorSeconds = (jobs - 1) / createsPerSecond;
  return {
    rows: [
      {
        metric: `burst: time until ${jobs} VMs exist`,
        value: allInsertedAt > 0 ? `${totalSeconds.toFixed(1)} s` : `only ${insertedAtDeadline} after ${deadlineMs / 1000} s`,
        target: '≤ 55 s',
        pass: allInsertedAt > 0 && totalSeconds <= 55,
      },
      { metric: 'burst: peak RSS (whole process)', value: fmtMb(Math.max(memory.peakSampled, memory.maxRss)), target: '< 250 MB', pass: Math.max(memory.peakSampled, memory.maxRss) < 250 * 1024 * 1024 },
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
        `${executions.length} executions (${failed} failed).`,
      `burst: peak RSS sampled every 50 ms ${fmtMb(memory.peakSampled)}, kernel high-water mark (getrusage maxrss) ${fmtMb(memory.maxRss)}; the process holds the app, engine, queues, both simulators and the driver.`,
    ],
  };
};
