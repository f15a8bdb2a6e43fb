import type { RunnerArgument } from '../warm/warm-argument.ts';

/** Starts runner.yaml executions: Cloud Workflows, or the embedded engine. */
export interface Executions {
  /** Returns the new execution's id. */
  start(argument: RunnerArgument): Promise<string>;
}

/** What an execution waiting in `events.await_callback` receives about its runner. */
export interface RunnerEvent {
  /** `cancelled`: the job this VM was made for was cancelled before any runner took it. */
  readonly action: 'in_progress' | 'completed' | 'cancelled';
  /** The job that ran on this runner: not always the one its VM was made for. */
  readonly jobId: number;
  readonly runId: number;
  readonly runAttempt: number;
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  readonly runnerName: string;
  readonly conclusion: string | null;
}

/**
 * Posts to an execution's callback URL. `gone`: the execution has ended; `not_ours`: the URL is
 * not a callback of our runner workflow, so nothing was sent; `refused`: a 4xx although the
 * execution still runs (its own VM checks and deadlines then end it).
 */
export interface CallbackSender {
  send(url: string, event: RunnerEvent): Promise<'delivered' | 'gone' | 'not_ours' | 'refused'>;
}
