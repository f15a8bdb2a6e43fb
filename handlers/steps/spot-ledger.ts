/**
 * What the steps service remembers about spot preemptions: which workflow runs were re-run after
 * one (re-run once; the new attempt gets an on-demand VM) and when each template was preempted
 * (repeated preemptions pause spot for the template a while). In memory: the steps service is a
 * single instance, and losing this on a restart only means spot is tried again.
 */
export interface SpotPolicy {
  /** Preemptions within `windowMs` that pause spot for a template. */
  readonly threshold: number;
  readonly windowMs: number;
  readonly pauseMs: number;
}

export const defaultSpotPolicy: SpotPolicy = { threshold: 2, windowMs: 15 * 60_000, pauseMs: 30 * 60_000 };

export class SpotLedger {
  readonly #preemptionsByTemplate = new Map<string, number[]>();
  readonly #pausedUntil = new Map<string, number>();
  readonly #rerunRuns = new Set<number>();

  readonly policy: SpotPolicy;
  constructor(policy: SpotPolicy = defaultSpotPolicy) {
    this.policy = policy;
  }

  /** Records a preemption; returns true when it pauses spot for the template. */
  recordPreemption(templateName: string, at: number): boolean {
    const recent = (this.#preemptionsByTemplate.get(templateName) ?? []).filter((time) => time > at - this.policy.windowMs);
    recent.push(at);
    this.#preemptionsByTemplate.set(templateName, recent);
    if (recent.length < this.policy.threshold) return false;
    this.#pausedUntil.set(templateName, at + this.policy.pauseMs);
    return true;
  }

  isPaused(templateName: string, now: number): boolean {
    return (this.#pausedUntil.get(templateName) ?? 0) > now;
  }

  /** True the first time a run is re-run after a preemption; false after, so it is re-run once. */
  claimRerun(runId: number): boolean {
    if (this.#rerunRuns.has(runId)) return false;
    this.#rerunRuns.add(runId);
    return true;
  }

  wasRerunAfterPreemption(runId: number): boolean {
    return this.#rerunRuns.has(runId);
  }
}
