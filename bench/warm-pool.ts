import { loadConfig } from '../handlers/config/load-config.ts';
import { parseRunnerName } from '../handlers/runner-name.ts';
import { startSystem } from '../handlers/system/start-system.ts';
import type { InstanceStatusEvent } from '../simulators/compute/sim-types.ts';
import { progress, type Scenario } from './scenario.ts';
import { fmtMs, sleep, summarize, until } from './stats.ts';
import { benchLogger, benchTemplates } from './system.ts';

const name = 'warm-pool';
/** The simulator's boot: insert → runner connected. On Compute Engine about a minute; scaled down here. */
const bootDelayMs = 3000;
const jobRunMs = 1000;
const jobs = 20;
const spacingMs = 2000;
const minIdle = 2;

const templates = (pool: boolean) => benchTemplates(20) + (pool ? `    warmPool:\n      minIdle: ${minIdle}\n      owner: octo-org\n` : '');

interface Run {
  readonly queueMs: number[];
  /** VM-seconds from the first job queued to the last one done (VMs alive then counted from the start). */
  readonly vmSeconds: number;
  readonly windowSeconds: number;
  readonly inserted: number;
}

/** Jobs one every `spacingMs`, each queued → taken timed; VM lifetimes summed over the same window. */
async function measure(pool: boolean): Promise<Run> {
  const config = loadConfig({ PORT: '0', RUNNER_TEMPLATES_YAML: templates(pool) }, () => {
    throw new Error('the bench reads no files');
  });
  const system = await startSystem(config, { log: benchLogger(), bootDelayMs, autoRunMs: jobRunMs });
  const github = system.world.github!;
  const compute = system.world.compute!;
  const born = new Map<string, number>();
  const died = new Map<string, number>();
  compute.onInstanceStatus((event: InstanceStatusEvent) => {
    if (event.previousStatus === null) born.set(event.name, performance.now());
    if (event.status === 'STOPPING' || event.status === 'DELETED') if (!died.has(event.name)) died.set(event.name, performance.now());
  });
  try {
    github.install('octo-org', 'Organization');
    if (pool) {
      await fetch(`${system.url}/steps/tend-warm-pools`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      await until(() => github.runners().filter((runner) => parseRunnerName(runner.name)?.warm && runner.status === 'online').length >= minIdle || undefined, 30_000, 'warm runners online');
    }
    const start = performance.now();
    const insertedBefore = compute.counts().inserted;
    const queueMs: number[] = [];
    const created: number[] = [];
    for (let index = 0; index < jobs; index++) {
      const queuedAt = performance.now();
      const job = await github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
      created.push(job.id);
      void until(() => (github.job(job.id)?.status !== 'queued' ? true : undefined), 60_000, `job ${job.id} taken`).then(() => queueMs.push(performance.now() - queuedAt));
      await sleep(spacingMs);
    }
    await until(() => created.every((id) => github.job(id)?.status === 'completed') || undefined, 60_000, 'every job done');
    const end = performance.now();
    let vmMs = 0;
    for (const [vm, at] of born) {
      const from = Math.max(at, start);
      const to = Math.min(died.get(vm) ?? end, end);
      if (to > from) vmMs += to - from;
    }
    progress(name, `${pool ? 'warm' : 'cold'}: ${queueMs.length} jobs, ${compute.counts().inserted - insertedBefore} VMs inserted`);
    return { queueMs, vmSeconds: vmMs / 1000, windowSeconds: (end - start) / 1000, inserted: compute.counts().inserted - insertedBefore };
  } finally {
    await system.close();
  }
}

/**
 * What a warm pool saves and costs: the same trickle of jobs (one every 2 s, each running 1 s)
 * without a pool and with `minIdle: 2`, the simulator booting a VM in 3 s.
 */
export const run: Scenario = async () => {
  const cold = await measure(false);
  const warm = await measure(true);
  const coldQueue = summarize(cold.queueMs);
  const warmQueue = summarize(warm.queueMs);
  const perJob = (r: Run) => (r.vmSeconds / jobs).toFixed(2);
  return {
    rows: [
      { metric: 'queued → taken p50, no pool', value: fmtMs(coldQueue.p50), target: '', pass: null },
      { metric: 'queued → taken p50, warm pool of 2', value: fmtMs(warmQueue.p50), target: `< boot (${bootDelayMs} ms)`, pass: warmQueue.p50 < bootDelayMs },
      { metric: 'queued → taken p99, warm pool of 2', value: fmtMs(warmQueue.p99), target: '', pass: null },
      { metric: 'VM-seconds per job, no pool / pool', value: `${perJob(cold)} / ${perJob(warm)}`, target: '', pass: null },
    ],
    notes: [
      `warm-pool: ${jobs} jobs one every ${spacingMs} ms, each running ${jobRunMs} ms, VMs booting in ${bootDelayMs} ms. ` +
        `No pool: queue p50 ${fmtMs(coldQueue.p50)} p99 ${fmtMs(coldQueue.p99)}, ${cold.inserted} VMs, ${cold.vmSeconds.toFixed(1)} VM-s over ${cold.windowSeconds.toFixed(1)} s. ` +
        `Pool of ${minIdle}: queue p50 ${fmtMs(warmQueue.p50)} p99 ${fmtMs(warmQueue.p99)}, ${warm.inserted} VMs, ${warm.vmSeconds.toFixed(1)} VM-s over ${warm.windowSeconds.toFixed(1)} s. ` +
        `The pool's price is its idle runners: about minIdle VM-hours per open hour (${minIdle} here), on top of the jobs' own time; each job saves one boot of queue time.`,
    ],
  };
};
