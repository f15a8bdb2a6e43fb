import type { Log } from '../log/logger.ts';

export interface ReaperTimerOptions {
  /** Starts one reaper run (an execution of reaper.yaml); should resolve once it has started. */
  readonly run: () => Promise<void>;
  /** Five minutes on Google Cloud (the Cloud Scheduler job); the same suits embedded mode. */
  readonly intervalMs: number;
  readonly log: Log;
  /** Default `intervalMs`: a process that just started gives its executions time to come back first. */
  readonly firstRunAfterMs?: number;
}

export interface ReaperTimer {
  stop(): void;
}

/**
 * Embedded mode's Cloud Scheduler. The next tick is set when `run` settles, so a slow start
 * delays the schedule rather than stacking calls; a failed start is logged and the schedule goes
 * on, as a missed Cloud Scheduler attempt is covered by the next one. The timer never holds the
 * process open.
 */
export function startReaperTimer(options: ReaperTimerOptions): ReaperTimer {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (ms: number) => {
    if (!stopped) timer = setTimeout(() => void tick(), ms).unref();
  };
  const tick = async () => {
    try {
      await options.run();
    } catch (error) {
      options.log.warn({ err: error, component: 'reaper' }, 'reaper run did not start');
    }
    schedule(options.intervalMs);
  };
  schedule(options.firstRunAfterMs ?? options.intervalMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
