import type { TraceElement } from '../errors.ts';
import type { ExecutionState } from '../execution-record.ts';
import type { HttpResponse, HttpTransportError } from '../http-transport.ts';
import type { StepEntryRecord } from '../runtime/history.ts';
import type { JournalLine } from './data-store.ts';

/**
 * The engine's journal records. An execution's inputs are its argument and the results of its
 * non-deterministic operations, numbered in the order the interpreter asked for them (`n`); with
 * the same program they make a replay take the same path. Short keys: there is one line per effect.
 */
export interface DeployLine {
  k: 'deploy';
  wf: string;
  rev: string;
  /** The revision's sequence number (the `000002` of `000002-a3f`). */
  n: number;
  file: string;
  src: string;
  env: Record<string, string>;
}

export interface StartLine {
  k: 'start';
  x: string;
  name: string;
  wf: string;
  rev: string;
  arg?: string;
  t: number;
  /** The callback base URL the execution was started with: its callback URLs never change. */
  base: string;
  /** Hex secret from which the execution's callback ids derive, so a replay makes the same ones. */
  key: string;
  req?: string;
}

export type OpKind = 'now' | 'sleep' | 'http' | 'await';

/** An effect begun: `v` for sys.now, `until` for sleeps and awaits, method/url/body digest for HTTP. */
export interface OpLine {
  k: 'op';
  x: string;
  n: number;
  at: number;
  o: OpKind;
  v?: number;
  until?: number;
  m?: string;
  u?: string;
  h?: string;
  cb?: string;
}

/** An effect's outcome: the HTTP response or transport failure, or whether a callback came. */
export interface EndLine {
  k: 'end';
  x: string;
  n: number;
  at: number;
  r?: HttpResponse;
  e?: { kind: HttpTransportError['kind']; message: string };
  got?: boolean;
}

/** A request accepted at a callback endpoint (answered 200 only once written). */
export interface CallbackLine {
  k: 'cb';
  x: string;
  cb: string;
  at: number;
  d: { method: string; body?: unknown; headers?: Record<string, string>; query?: Record<string, string[]> };
}

/** A finished execution, self-contained: what get/list/stepEntries show after a restart. */
export interface FinLine {
  k: 'fin';
  x: string;
  name: string;
  wf: string;
  rev: string;
  arg?: string;
  t: number;
  state: Exclude<ExecutionState, 'ACTIVE'>;
  result?: string;
  error?: { payload: string; context: string; trace: TraceElement[] };
  end: number;
  history: StepEntryRecord[];
  req?: string;
}

export type ExecutionLine = StartLine | OpLine | EndLine | CallbackLine;
export type EngineLine = DeployLine | ExecutionLine | FinLine;

/** What the journal says about one execution still ACTIVE when the process stopped. */
export interface ActiveLog {
  start: StartLine;
  ops: Map<number, { op: OpLine; end?: EndLine }>;
  deliveries: Map<string, CallbackLine[]>;
  /** Every line, for the next compaction. */
  lines: ExecutionLine[];
}

export interface EngineState {
  deployments: Map<string, DeployLine>;
  active: Map<string, ActiveLog>;
  finished: Map<string, FinLine>;
}

/** Folds the engine's records, oldest first, into the state they describe. */
export function foldEngineLines(lines: readonly JournalLine[]): EngineState {
  const state: EngineState = { deployments: new Map(), active: new Map(), finished: new Map() };
  for (const raw of lines) {
    const line = raw as unknown as EngineLine;
    if (line.k === 'deploy') state.deployments.set(line.rev, line);
    else if (line.k === 'fin') {
      state.active.delete(line.x);
      state.finished.set(line.x, line);
    } else if (line.k === 'start') state.active.set(line.x, { start: line, ops: new Map(), deliveries: new Map(), lines: [line] });
    else addToActive(state.active.get(line.x), line);
  }
  return state;
}

function addToActive(log: ActiveLog | undefined, line: OpLine | EndLine | CallbackLine): void {
  if (!log) return; // An effect of an execution that has since finished and been compacted away.
  log.lines.push(line);
  if (line.k === 'op') log.ops.set(line.n, { op: line });
  else if (line.k === 'end') {
    const entry = log.ops.get(line.n);
    if (entry) entry.end = line;
  } else log.deliveries.set(line.cb, [...(log.deliveries.get(line.cb) ?? []), line]);
}
