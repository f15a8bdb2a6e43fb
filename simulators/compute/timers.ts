/** Timers of one simulator, all cancelled by `close()` so no test leaves one behind. */
export interface Timers {
  /** Runs `task` after `ms`; 0 runs it now, synchronously (the default, instant mode of tests). */
  after(ms: number, task: () => void): void;
  clearAll(): void;
}

export function createTimers(): Timers {
  const pending = new Set<NodeJS.Timeout>();
  return {
    after(ms, task) {
      if (ms <= 0) {
        task();
        return;
      }
      const timer = setTimeout(() => {
        pending.delete(timer);
        task();
      }, ms);
      timer.unref();
      pending.add(timer);
    },
    clearAll() {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    },
  };
}
