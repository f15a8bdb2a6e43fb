import { loadavg } from 'node:os';
import { parseTemplatesFile } from '../handlers/config/templates-file.ts';
import { createAdmission, type Admission } from '../handlers/dispatch/admission.ts';
import { createMemoryLogger } from '../handlers/log/logger.ts';
import { runnerNameFor } from '../handlers/runner-name.ts';
import { createAdmissionSlots, type AdmissionSlots } from '../handlers/state/admission-slots.ts';
import { createFirestore } from '../handlers/state/create-firestore.ts';
import { createFirestoreStateStore } from '../handlers/state/firestore-state-store.ts';
import { createLocalStateStore } from '../handlers/state/local-state-store.ts';
import type { StateStore } from '../handlers/state/state-store.ts';
import { startFirestoreSimulator } from '../simulators/firestore/start-firestore-simulator.ts';
import { progress, type ResultRow, type Scenario } from './scenario.ts';
import { fmtMs, percentile, sleep } from './stats.ts';

const name = 'admission';
const jobs = 300;
const maxRunners = 20;
/** Jobs each steps instance handles at once (the in-process queue's concurrency). */
const perInstance = 50;
/** How long an admitted job holds its slot: a VM's life, shortened so the cap is the bottleneck. */
const holdMs = 200;
/** How soon a job refused at the cap is offered again (5 s in the service: shortened with the VM life). */
const retrySeconds = 0.2;
const templates = parseTemplatesFile(`templates:\n  - name: linux\n    labels: [self-hosted, linux]\n    maxRunners: ${maxRunners}\n`);

interface Outcome {
  readonly perSecond: number;
  readonly admitMs: number[];
  readonly peak: number;
  readonly errors: number;
}

const eventOf = (jobId: number) =>
  ({ action: 'queued', deliveryId: `d${jobId}`, installationId: 1, owner: 'octo-org', repo: 'app', ownerIsOrganization: true, jobId, runId: jobId, runAttempt: 1, labels: ['self-hosted', 'linux'], templateName: 'linux', runnerName: null, conclusion: null }) as const;

/**
 * Every job goes through the service's admission (as the dispatcher calls it), is asked again
 * while its template is full, then holds its slot and gives it back (as delete-vm does).
 */
async function burst(instances: readonly { admission: Admission; slots: AdmissionSlots }[]): Promise<Outcome> {
  const admitMs: number[] = [];
  let [peak, live, errors, next, first, last] = [0, 0, 0, 0, 0, 0];
  const worker = async ({ admission, slots }: { admission: Admission; slots: AdmissionSlots }) => {
    while (next < jobs) {
      const event = eventOf(++next);
      const asked = performance.now();
      while (!(await admission.admit(event, async () => 'execution').then(() => true, (error: { kind?: string }) => (error.kind === 'capacity' || (errors++, false), false)))) await sleep(retrySeconds * 1000);
      admitMs.push(performance.now() - asked);
      peak = Math.max(peak, ++live);
      last = performance.now();
      first ||= last;
      await sleep(holdMs);
      live -= 1; // before the release is asked for: the count errs high, never low
      while (!(await slots.release('linux', runnerNameFor('linux', event.jobId, 1)).then(() => true, () => (errors++, false)))) await sleep(retrySeconds * 1000);
    }
  };
  await Promise.all(instances.flatMap((instance) => Array.from({ length: perInstance }, () => worker(instance))));
  return { perSecond: (jobs - 1) / ((last - first) / 1000), admitMs, peak, errors };
}

const instancesOver = (stores: readonly StateStore[]) =>
  stores.map((store) => {
    const slots = createAdmissionSlots(store, Date.now);
    return { slots, admission: createAdmission({ slots, templates, log: createMemoryLogger('warn').log, retryAfterSeconds: retrySeconds }) };
  });

const rowsOf = (label: string, outcome: Outcome, target: number | null): ResultRow[] => [
  { metric: `admission (${label}): jobs admitted/s at the cap`, value: outcome.perSecond.toFixed(1), target: target === null ? '' : `≥ ${target}`, pass: target === null ? null : outcome.perSecond >= target },
  { metric: `admission (${label}): peak jobs holding a slot`, value: String(outcome.peak), target: `≤ ${maxRunners}`, pass: outcome.peak <= maxRunners },
  { metric: `admission (${label}): queued → admitted p50 / p95`, value: `${fmtMs(percentile(outcome.admitMs, 50))} / ${fmtMs(percentile(outcome.admitMs, 95))}`, target: '', pass: null },
];

/**
 * Admission throughput with the shared state store at the cap boundary: 300 jobs at once for a
 * template of maxRunners 20, spread over three steps instances (three Firestore clients) against
 * the Firestore simulator; each admitted job holds its slot 200 ms, so with a free store the cap
 * bounds the rate at 20 / 0.2 s = 100/s. The local store (one process) is the reference.
 */
export const run: Scenario = async () => {
  const simulator = await startFirestoreSimulator({ project: 'bench-project' });
  const stores = [0, 1, 2].map(() => createFirestoreStateStore({ firestore: createFirestore({ project: 'bench-project', database: '(default)', apiEndpoint: simulator.url }), collection: 'github-runner' }));
  try {
    progress(name, `${jobs} jobs, maxRunners ${maxRunners}, 3 instances × ${perInstance} at once, Firestore simulator`);
    const cpu = process.cpuUsage();
    const shared = await burst(instancesOver(stores));
    const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
    const counts = simulator.counts();
    progress(name, 'the same through the local store');
    const local = await burst(instancesOver([createLocalStateStore()]));
    return {
      rows: [...rowsOf('Firestore, 3 instances', shared, 5), ...rowsOf('local store', local, null)],
      notes: [
        `admission: ${jobs} jobs through ${maxRunners} slots held ${holdMs} ms each (ceiling ${((maxRunners * 1000) / holdMs).toFixed(0)}/s); a job refused at the cap is asked again after ${retrySeconds} s. ` +
          `Firestore: ${counts.requests} requests (${(counts.requests / jobs).toFixed(1)} per job), ${counts.commits} commits, ${counts.contended} transactions aborted by contention and retried by the client, ${shared.errors} calls failed after its 5 attempts (asked again). ` +
          `The simulator and the three clients shared this process: ${(cpuMs / 1000).toFixed(1)} s of CPU, ${(cpuMs / counts.requests).toFixed(1)} ms per request (load average ${loadavg()[0]!.toFixed(1)} on this machine). ` +
          `Target ≥ 5/s: Cloud Tasks' default dispatch rate (tasks_max_dispatches_per_second), which bounds how fast jobs reach admission on Google Cloud; off it, the local store is used.`,
      ],
    };
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    await simulator.close();
  }
};
