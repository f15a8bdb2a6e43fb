import type { StateStore } from '../state/state-store.ts';

/**
 * What the steps service remembers about spot preemptions: which workflow runs were re-run after
 * one (re-run once; the new attempt gets an on-demand VM) and when each template was preempted
 * (repeated preemptions pause spot for the template a while). In the shared state store, so every
 * steps instance sees the same re-runs and pauses, across restarts.
 */
export interface SpotPolicy {
  /** Preemptions within `windowMs` that pause spot for a template. */
  readonly threshold: number;
  readonly windowMs: number;
  readonly pauseMs: number;
}

export const defaultSpotPolicy: SpotPolicy = { threshold: 2, windowMs: 15 * 60_000, pauseMs: 30 * 60_000 };

/**
 * A workflow run can be re-run up to 30 days after it started, so a re-run is remembered that long.
 * https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-workflow-runs/re-running-workflows-and-jobs
 */
const rerunMemoryMs = 30 * 24 * 60 * 60_000;

interface TemplatePreemptions {
  readonly at: readonly number[];
  readonly pausedUntil: number;
}

const templateKey = (templateName: string) => ({ kind: 'spot-preemptions', id: templateName });
const rerunKey = (runId: number) => ({ kind: 'spot-rerun', id: String(runId) });

export class SpotLedger {
  readonly #store: StateStore;
  readonly policy: SpotPolicy;
  constructor(store: StateStore, policy: SpotPolicy = defaultSpotPolicy) {
    this.#store = store;
    this.policy = policy;
  }

  /** Records a preemption; returns true when it pauses spot for the template. */
  recordPreemption(templateName: string, at: number): Promise<boolean> {
    return this.#store.update<TemplatePreemptions, boolean>(templateKey(templateName), at, (current) => {
      const recent = [...(current?.at ?? []).filter((time) => time > at - this.policy.windowMs), at];
      const pauses = recent.length >= this.policy.threshold;
      const pausedUntil = pauses ? at + this.policy.pauseMs : (current?.pausedUntil ?? 0);
      return { result: pauses, write: { value: { at: recent, pausedUntil }, expiresAt: Math.max(pausedUntil, at + this.policy.windowMs) } };
    });
  }

  async isPaused(templateName: string, now: number): Promise<boolean> {
    return ((await this.#store.read<TemplatePreemptions>(templateKey(templateName), now))?.pausedUntil ?? 0) > now;
  }

  /** True the first time a run is re-run after a preemption; false after, so it is re-run once. */
  claimRerun(runId: number, now: number): Promise<boolean> {
    return this.#store.update<{ at: number }, boolean>(rerunKey(runId), now, (current) =>
      current ? { result: false } : { result: true, write: { value: { at: now }, expiresAt: now + rerunMemoryMs } },
    );
  }

  async wasRerunAfterPreemption(runId: number, now: number): Promise<boolean> {
    return (await this.#store.read(rerunKey(runId), now)) !== null;
  }
}
