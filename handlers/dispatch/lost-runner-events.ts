import type { RunnerEvent } from './ports.ts';

/**
 * Runner events that arrived after their VM was gone (a spot VM preempted mid-job): with no VM
 * there is no callback URL to route them by, so they wait here for their execution's next VM
 * check, which learns from them which job ran. In memory, bounded, and forgotten after an hour:
 * the steps service that dispatches is the one that answers the checks.
 */
export class LostRunnerEvents {
  readonly #byRunner = new Map<string, { at: number; events: RunnerEvent[] }>();

  private readonly maxRunners: number;
  private readonly keepMs: number;
  constructor(maxRunners = 10_000, keepMs = 60 * 60_000) {
    this.maxRunners = maxRunners;
    this.keepMs = keepMs;
  }

  record(event: RunnerEvent, now: number): void {
    this.#forget(now);
    const entry = this.#byRunner.get(event.runnerName) ?? { at: now, events: [] };
    entry.events.push(event);
    this.#byRunner.set(event.runnerName, entry);
    if (this.#byRunner.size > this.maxRunners) this.#byRunner.delete(this.#byRunner.keys().next().value!);
  }

  of(runnerName: string, now: number): readonly RunnerEvent[] {
    this.#forget(now);
    return this.#byRunner.get(runnerName)?.events ?? [];
  }

  #forget(now: number): void {
    for (const [name, entry] of this.#byRunner) {
      if (entry.at >= now - this.keepMs) break;
      this.#byRunner.delete(name);
    }
  }
}
