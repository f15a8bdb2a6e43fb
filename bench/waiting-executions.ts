import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EmbeddedEngine } from '../workflows/engine/engine.ts';
import type { HttpRequest, HttpResponse } from '../workflows/engine/http-transport.ts';
import { progress, type Scenario } from './scenario.ts';
import { fmtMb, sampleRss, sleep, until } from './stats.ts';
import { isWaiting, queuedEvent, recordStepAnswers, runnerYaml, type StepRecording } from './step-recording.ts';

const name = 'waiting-executions';
const executions = 10_000;
const warmups = 200;
const batch = 500;
const stepsUrl = 'http://127.0.0.1:8080';
const installationId = 51_234_567;

/** `global.gc` from --expose-gc (bench/main.ts passes it), or enabled now if this process was started without it. */
function collector(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function collect(gc: () => void): Promise<NodeJS.MemoryUsage> {
  for (let round = 0; round < 3; round++) {
    gc();
    await sleep(20);
  }
  return process.memoryUsage();
}

/**
 * The step service, answered in process from the recording: each execution gets what the real
 * step endpoints answered for the recorded job, with its own job id in it (runner names), so it
 * holds exactly the variables runner.yaml holds in production while it waits. The callback URL
 * each one sends to create-vm is kept, to deliver its runner's events.
 */
function replayedSteps(recording: StepRecording, callbacks: Map<number, string>) {
  const recordedId = String(recording.jobId);
  return async (request: HttpRequest): Promise<HttpResponse> => {
    const step = request.url.slice(request.url.lastIndexOf('/') + 1);
    const body = JSON.parse(request.body ?? '{}') as { jobId?: number; runnerName?: string; callbackUrl?: string };
    const jobId = body.jobId ?? Number(/-(\d+)-\d+$/.exec(body.runnerName ?? '')?.[1] ?? Number.NaN);
    const answer = recording.answers.get(step);
    if (!answer || !Number.isSafeInteger(jobId)) {
      const error = { error: { kind: 'fatal', message: `the bench recorded no answer of step ${step}` } };
      return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify(error) };
    }
    if (step === 'create-vm' && body.callbackUrl) callbacks.set(jobId, body.callbackUrl);
    return { ...answer, body: answer.body.replaceAll(recordedId, String(jobId)) };
  };
}

const jobOf = (jobId: number) => ({ id: jobId, runId: jobId - 18_000_000_000, runAttempt: 1, owner: 'octo-org', repo: 'app' });

/**
 * 10,000 executions of the real workflows/runner.yaml in the embedded engine, each parked in
 * `events.await_callback`: first waiting for its runner to start, then (after an `in_progress`
 * callback, as the dispatcher sends it) for the job to finish. The engine runs alone: the step
 * answers are recorded from one job through the whole system and replayed per execution, because
 * the whole system would also hold 10,000 VMs and runners in its simulators, in the same heap, and
 * list them at every admission. Memory is what stays after full GCs, over the same engine before.
 */
export const run: Scenario = async () => {
  const gc = collector();
  const recording = await recordStepAnswers();
  progress(name, `recorded the answers of steps ${[...recording.answers.keys()].join(', ')} for job ${recording.jobId}`);
  const callbacks = new Map<number, string>();
  const engine = new EmbeddedEngine({ callbackBaseUrl: stepsUrl, projectId: 'local-project', location: 'local', http: replayedSteps(recording, callbacks), onLog: () => undefined });
  engine.deploy('runner', runnerYaml(), 'workflows/runner.yaml', { STEPS_URL: stepsUrl });
  const notWaiting = (ids: readonly string[]): string[] =>
    ids.filter((id) => {
      const execution = engine.getExecution(id, 'FULL');
      if (execution?.state !== 'ACTIVE') throw new Error(`execution ${id} ended ${execution?.state}: ${execution?.error?.payload ?? execution?.result ?? ''}`);
      return !isWaiting(execution.status?.currentSteps.map((step) => step.step) ?? []);
    });
  const allWaiting = async (ids: readonly string[], what: string) => {
    await sleep(50);
    await until(() => notWaiting(ids).length === 0, 120_000, what, 100);
  };

  // Warm the interpreter up (JIT, caches) with executions that are then cancelled and kept as finished records.
  const warm = Array.from({ length: warmups }, (_, index) => engine.createExecution('runner', JSON.stringify(queuedEvent(jobOf(30_000_000_001 + index), installationId))).name);
  await until(() => callbacks.size === warmups, 30_000, 'warm-up executions', 20);
  await allWaiting(warm, 'warm-up executions to wait');
  for (const id of warm) engine.cancelExecution(id);
  callbacks.clear();
  const before = await collect(gc);

  const rss = sampleRss(50);
  const started = performance.now();
  const ids: string[] = [];
  for (let index = 0; index < executions; index++) {
    ids.push(engine.createExecution('runner', JSON.stringify(queuedEvent(jobOf(40_000_000_001 + index), installationId))).name);
    if ((index + 1) % batch === 0) await sleep(0);
  }
  await until(() => callbacks.size === executions, 120_000, `${executions} VMs created`, 100);
  await allWaiting(ids, `${executions} executions waiting for their runner`);
  const createSeconds = (performance.now() - started) / 1000;
  const atStart = await collect(gc);
  progress(name, `${executions} executions waiting for their runner after ${createSeconds.toFixed(1)} s; heap +${fmtMb(atStart.heapUsed - before.heapUsed)}`);

  for (const [jobId, url] of callbacks) {
    const [executionPath, callbackId] = url.slice(url.indexOf('/v1/') + 4).split('/callbacks/') as [string, string];
    const { runId, runAttempt, owner, repo } = jobOf(jobId);
    const runnerName = `ghr-linux-${jobId}-1`;
    const event = { action: 'in_progress', jobId, runId, runAttempt, installationId, owner, repo, runnerName, conclusion: null };
    const outcome = engine.deliverCallback(executionPath, callbackId, { method: 'POST', body: event, headers: { 'content-type': 'application/json' } });
    if (outcome !== 200) throw new Error(`the callback of job ${jobId} answered ${outcome}`);
  }
  await allWaiting(ids, `${executions} executions waiting for their job to finish`);
  const atFinish = await collect(gc);
  const peak = rss.stop();
  engine.stop();

  const delta = (after: NodeJS.MemoryUsage, field: 'heapUsed' | 'rss' | 'external') => after[field] - before[field];
  const retained = (after: NodeJS.MemoryUsage) => delta(after, 'heapUsed') + delta(after, 'external');
  const worst = Math.max(retained(atStart), retained(atFinish));
  const worstRss = Math.max(delta(atStart, 'rss'), delta(atFinish, 'rss'));
  const each = (bytes: number) => `${(bytes / executions / 1024).toFixed(1)} KB each`;
  const count = executions.toLocaleString('en');
  return {
    rows: [
      { metric: `${count} waiting executions: retained heap`, value: `${fmtMb(worst)} (${each(worst)})`, target: '< 200 MB', pass: worst < 200 * 1024 * 1024 },
      { metric: `${count} waiting executions: RSS growth`, value: fmtMb(worstRss), target: '< 200 MB', pass: worstRss < 200 * 1024 * 1024 },
    ],
    notes: [
      `waiting: the real runner.yaml in the embedded engine alone, its step calls answered with what the real steps answered one job through the whole system (${[...recording.answers.keys()].join(', ')}), per execution its own job id; ` +
        `heap+external after full GCs over the engine before: waiting for the runner ${fmtMb(retained(atStart))} (${each(retained(atStart))}), for the job's end ${fmtMb(retained(atFinish))} (${each(retained(atFinish))}); ` +
        `RSS +${fmtMb(delta(atStart, 'rss'))} / +${fmtMb(delta(atFinish, 'rss'))}; process peak RSS ${fmtMb(Math.max(peak.peakSampled, peak.maxRss))} (it also ran the system once to record); ${count} started in ${createSeconds.toFixed(1)} s.`,
    ],
  };
};
