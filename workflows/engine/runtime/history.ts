/** One step run, as the console lists it; field names follow the v1 `StepEntry` resource. */
export interface StepEntryRecord {
  entryId: number;
  step: string;
  routine: string;
  stepType: string;
  state: StepState;
  createTime: number;
  updateTime: number;
  exception?: string;
}

export type StepState = 'STATE_IN_PROGRESS' | 'STATE_SUCCEEDED' | 'STATE_FAILED' | 'STATE_CANCELLED';

// Keeps the newest entries only: a long loop must not grow an execution's memory without bound.
const maxEntries = 1000;

/**
 * The step entries of one execution, kept in columns rather than one object per entry: every
 * waiting execution holds dozens of them. Step names, routines, types and states are strings
 * shared with the program (no copies), and the times sit unboxed in arrays of doubles.
 */
export class StepHistory {
  private firstId = 1;
  private readonly steps: string[] = [];
  private readonly routines: string[] = [];
  private readonly stepTypes: string[] = [];
  private readonly states: StepState[] = [];
  // createTime and updateTime of entry i at 2i and 2i + 1.
  private readonly times: number[] = [];
  private exceptions: Map<number, string> | undefined;

  /** The history of a finished execution, as recorded in the journal. */
  static restore(entries: readonly StepEntryRecord[]): StepHistory {
    const history = new StepHistory();
    history.firstId = entries[0]?.entryId ?? 1;
    for (const entry of entries) {
      const entryId = history.start(entry.step, entry.routine, entry.stepType, entry.createTime);
      history.finish(entryId, entry.state, entry.updateTime, entry.exception);
    }
    return history;
  }

  /** Records a step as started; returns its entry id. */
  start(step: string, routine: string, stepType: string, now: number): number {
    this.steps.push(step);
    this.routines.push(routine);
    this.stepTypes.push(stepType);
    this.states.push('STATE_IN_PROGRESS');
    this.times.push(now, now);
    if (this.steps.length > maxEntries) this.dropOldest(this.steps.length - maxEntries);
    return this.firstId + this.steps.length - 1;
  }

  /** Records how a step ended; an entry already dropped as too old is left gone. */
  finish(entryId: number, state: StepState, now: number, exception?: string): void {
    const at = entryId - this.firstId;
    if (at < 0) return;
    this.states[at] = state;
    this.times[2 * at + 1] = now;
    if (exception !== undefined) (this.exceptions ??= new Map()).set(entryId, exception);
  }

  /** Every entry kept, oldest first. */
  get entries(): StepEntryRecord[] {
    return this.steps.map((_, at) => this.entry(at));
  }

  /** The steps still in progress, outermost first: what `status.currentSteps` reports. */
  current(): StepEntryRecord[] {
    const current: StepEntryRecord[] = [];
    this.states.forEach((state, at) => {
      if (state === 'STATE_IN_PROGRESS') current.push(this.entry(at));
    });
    return current;
  }

  private entry(at: number): StepEntryRecord {
    const entryId = this.firstId + at;
    const exception = this.exceptions?.get(entryId);
    return {
      entryId,
      step: this.steps[at] as string,
      routine: this.routines[at] as string,
      stepType: this.stepTypes[at] as string,
      state: this.states[at] as StepState,
      createTime: this.times[2 * at] as number,
      updateTime: this.times[2 * at + 1] as number,
      ...(exception === undefined ? {} : { exception }),
    };
  }

  private dropOldest(count: number): void {
    for (const column of [this.steps, this.routines, this.stepTypes, this.states]) column.splice(0, count);
    this.times.splice(0, 2 * count);
    for (let id = this.firstId; id < this.firstId + count; id++) this.exceptions?.delete(id);
    this.firstId += count;
  }
}
