import type { InstanceStatusEvent } from '../simulators/compute/sim-types.ts';
import { progress, type Scenario } from './scenario.ts';
import { fmtMs, sleep, summarize, until, type Summary } from './stats.ts';
import { startBenchSystem, vmNameOf } from './system.ts';

const name = 'latency';
const warmup = 20;
const samples = 200;
/** The product's create limit (20/s): consecutive jobs start at least this far apart, so no sample waits for the limiter. */
const createSpacingMs = 50;

/**
 * Sequential jobs through the whole system, runners connecting as the VMs boot (the product as
 * `npm start` runs it, less the boot delay): for each job, queued → `instances.insert` and, once
 * the job runs on its VM, completed → `instances.delete`. Times are taken in this process with
 * performance.now(): before the GitHub simulator signs and sends the webhook, and when the Compute
 * simulator handles the insert (PROVISIONING) or the delete (STOPPING) call.
 */
export const run: Scenario = async () => {
  const { system, github, embedded, engine } = await startBenchSystem({ connectRunners: true });
  const seen = new Map<string, { provisioning?: number; stopping?: number; executionId?: string }>();
  system.world.compute!.onInstanceStatus((event: InstanceStatusEvent) => {
    const at = performance.now();
    const entry = seen.get(event.name) ?? {};
    if (event.status === 'PROVISIONING' && entry.provisioning === undefined) {
      entry.provisioning = at;
      const labels = (event.instance?.['labels'] ?? {}) as Record<string, string>;
      if (labels['execution']) entry.executionId = labels['execution'];
    }
    if (event.status === 'STOPPING' && entry.stopping === undefined) entry.stopping = at;
    seen.set(event.name, entry);
  });
  const toInsert: number[] = [];
  const toDelete: number[] = [];
  let lastCreate = -Infinity;
  try {
    for (let index = 0; index < warmup + samples; index++) {
      const wait = lastCreate + createSpacingMs - performance.now();
      if (wait > 0) await sleep(wait);
      lastCreate = performance.now();
      const queuedAt = performance.now();
      const job = await github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
      const vm = vmNameOf(job.id);
      const inserted = await until(() => seen.get(vm)?.provisioning, 10_000, `insert of ${vm}`);
      // The runner connects when the VM is RUNNING and takes the job; wait until `in_progress` has been dispatched to the execution.
      await until(() => github.job(job.id)?.status === 'in_progress', 10_000, `job ${job.id} in progress`);
      await github.settled();
      await embedded.queue.idle();
      const completedAt = performance.now();
      await github.completeJob(job.id, 'success');
      const stopped = await until(() => seen.get(vm)?.stopping, 10_000, `delete of ${vm}`);
      const executionId = seen.get(vm)?.executionId;
      if (executionId) {
        const ended = await engine.awaitExecution(executionId);
        if (ended.state !== 'SUCCEEDED') throw new Error(`execution for job ${job.id} ended ${ended.state}: ${ended.error?.payload ?? ''}`);
      }
      if (index >= warmup) {
        toInsert.push(inserted - queuedAt);
        toDelete.push(stopped - completedAt);
      }
      if ((index + 1) % 50 === 0) progress(name, `${index + 1}/${warmup + samples} jobs`);
    }
  } finally {
    await system.close();
  }
  const insert = summarize(toInsert);
  const remove = summarize(toDelete);
  const describe = (summary: Summary) => `p50 ${fmtMs(summary.p50)}, p99 ${fmtMs(summary.p99)}`;
  return {
    rows: [
      { metric: 'queued → instances.insert p50', value: fmtMs(insert.p50), target: '≤ 20 ms', pass: insert.p50 <= 20 },
      { metric: 'queued → instances.insert p99', value: fmtMs(insert.p99), target: '', pass: null },
      { metric: 'completed → instances.delete p50', value: fmtMs(remove.p50), target: '≤ 50 ms', pass: remove.p50 <= 50 },
      { metric: 'completed → instances.delete p99', value: fmtMs(remove.p99), target: '', pass: null },
    ],
    notes: [
      `latency: ${samples} sequential jobs after ${warmup} warm-up ones, runners connecting (boot delay 0); one job at a time, so ≤ 1 live VM; ` +
        `queued → insert ${describe(insert)}, max ${fmtMs(insert.max)}; completed → delete ${describe(remove)}, max ${fmtMs(remove.max)}. ` +
        'Queued is timed from before the GitHub simulator signs and posts the webhook, completed from before completeJob does; the ends are the Compute simulator handling insert (PROVISIONING) and delete (STOPPING).',
    ],
  };
};
