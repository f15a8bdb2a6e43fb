/** One step run, as the console lists it; field names follow the v1 `StepEntry` resource. */
export interface StepEntryRecord {
  entryId: number;
  step: string;
  routine: string;
  stepType: string;
  state: 'STATE_IN_PROGRESS' | 'STATE_SUCCEEDED' | 'STATE_FAILED' | 'STATE_CANCELLED';
  createTime: number;
  updateTime: number;
  exception?: string;
}

// Keeps the newest entries only: a long loop must not grow an execution's memory without bound.
const maxEntries = 1000;

export class StepHistory {
  readonly entries: StepEntryRecord[] = [];
  private nextId = 1;

  /** The history of a finished execution, as recorded in the journal. */
  static restore(entries: readonly StepEntryRecord[]): StepHistory {
    const history = new StepHistory();
    history.entries.push(...entries.map((entry) => ({ ...entry })));
    history.nextId = (entries.at(-1)?.entryId ?? 0) + 1;
    return history;
  }

  start(step: string, routine: string, stepType: string, now: number): StepEntryRecord {
    const entry: StepEntryRecord = { entryId: this.nextId++, step, routine, stepType, state: 'STATE_IN_PROGRESS', createTime: now, updateTime: now };
    this.entries.push(entry);
    if (this.entries.length > maxEntries) this.entries.splice(0, this.entries.length - maxEntries);
    return entry;
  }

  finish(entry: StepEntryRecord, state: StepEntryRecord['state'], now: number, exception?: string): void {
    entry.state = state;
    entry.updateTime = now;
    if (exception !== undefined) entry.exception = exception;
  }

  /** The steps still in progress, outermost first: what `status.currentSteps` reports. */
  current(): StepEntryRecord[] {
    return this.entries.filter((entry) => entry.state === 'STATE_IN_PROGRESS');
  }
}
