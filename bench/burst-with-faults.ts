import { progress, type Scenario } from './scenario.ts';
import { fmtMb, sampleRss, until } from './stats.ts';
import { startFaultStorm } from './fault-storm.ts';
import { startBenchSystem } from './system.ts';

const name = 'burst-faults';
const jobs = 500;
const maxRunners = 50;
const faultRate = 0.05;
const deadlineMs = 150_000;

/** Deterministic, so a run can be repeated: mulberry32. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Issue #5's promise under stress: 500 queued jobs at once, a template capped at 50, about 5 % of
 * every outward call failing (Compute 5xx, stockout, quota, rate limits, not-ready deletes; GitHub
 * 5xx and 429 on JIT, jobs, runners). Runners connect and finish their job 300 ms after taking it.
 * Every job must end having run on a runner of ours, never more than 50 VMs at once, no VM name
 * inserted twice, and nothing of ours left at the end.
 */
export const run: Scenario = async () => {
  const world = await startBenchSystem({ maxRunners, autoRunMs: 300, admissionRetrySeconds: 0.5 });
  const { github, compute, engine } = world;
  let live = 0;
  let peak = 0;
  compute.onInstanceStatus(({ status, previousStatus }) => {
    if (previousStatus === null) live += 1;
    if (status === 'DELETED') live -= 1;
    peak = Math.max(peak, live);
  });
  const storm = startFaultStorm(compute, github, faultRate, seeded(500));
  const rss = sampleRss(50);
  const started = performance.now();
  const created = await Promise.all(Array.from({ length: jobs }, (_, index) => github.createJob({ owner: 'octo-org', repo: `app-${index % 10}`, labels: ['self-hosted', 'linux'] })));
  const ids = created.map((job) => job.id);
  const reporter = setInterval(() => progress(name, `${ids.filter((id) => github.job(id)?.status === 'completed').length}/${jobs} done, ${live} VMs, RSS ${fmtMb(process.memoryUsage.rss())}, heap ${fmtMb(process.memoryUsage().heapUsed)}, external ${fmtMb(process.memoryUsage().external + process.memoryUsage().arrayBuffers)}`), 10_000);
  const allDone = await until(() => ids.every((id) => github.job(id)?.status === 'completed') && performance.now(), deadlineMs, 'every job done', 50).catch(() => 0);
  const faults = storm.stop();
  clearInterval(reporter);
  await until(() => live === 0 && engine.listExecutions('runner').every((execution) => execution.state !== 'ACTIVE') && true, 60_000, 'cleanup', 50).catch(() => undefined);
  const memory = rss.stop();
  const inserts = new Map<string, number>();
  for (const call of compute.calls()) {
    if (call.call === 'insert') inserts.set(String((call.body as { name?: unknown }).name), (inserts.get(String((call.body as { name?: unknown }).name)) ?? 0) + 1);
  }
  const done = ids.filter((id) => github.job(id)?.status === 'completed');
  const ranOnOurs = done.filter((id) => github.job(id)?.runnerName?.startsWith('ghr-') && github.job(id)?.conclusion === 'success').length;
  const created_ = compute.counts().inserted;
  const leftVms = compute.counts().live;
  const leftRunners = github.runners().filter((runner) => runner.name.startsWith('ghr-')).length;
  const failedExecutions = engine.listExecutions('runner').filter((execution) => execution.state === 'FAILED').length;
  await world.system.close();
  const seconds = allDone ? (allDone - started) / 1000 : Number.NaN;
  const duplicateNames = [...inserts.values()].filter((count) => count > 1).length;
  return {
    rows: [
      { metric: `burst-faults: ${jobs} jobs, cap ${maxRunners}, ${faultRate * 100} % faults: jobs run on our runners`, value: `${ranOnOurs} in ${Number.isNaN(seconds) ? 'timeout' : `${seconds.toFixed(1)} s`}`, target: `${jobs}`, pass: ranOnOurs === jobs },
      { metric: 'burst-faults: VMs created, peak at once', value: `${created_}, ${peak}`, target: `≤ ${maxRunners} at once`, pass: peak <= maxRunners },
      { metric: 'burst-faults: VM names inserted twice (that created twice)', value: `${duplicateNames}`, target: '0 VMs made twice', pass: created_ === inserts.size },
      { metric: 'burst-faults: left behind (VMs, runners)', value: `${leftVms}, ${leftRunners}`, target: '0, 0', pass: leftVms === 0 && leftRunners === 0 },
      { metric: 'burst-faults: peak RSS', value: fmtMb(Math.max(memory.peakSampled, memory.maxRss)), target: '', pass: null },
    ],
    notes: [
      `burst-faults: ${faults.armed} faults armed over ${faults.calls} outward calls (${((faults.armed / Math.max(1, faults.calls)) * 100).toFixed(1)} %); ` +
        `${duplicateNames} names got a second insert call (a retried insert answered "exists", creating nothing); ${failedExecutions} executions FAILED (their VMs were still deleted).`,
    ],
  };
};
