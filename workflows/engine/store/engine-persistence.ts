import type { CallbackDelivery } from '../callback-request.ts';
import type { ExecutionRecord } from '../execution-record.ts';
import type { JournalLine, StoreSection } from './data-store.ts';
import { foldEngineLines, type ActiveLog, type DeployLine, type EndLine, type EngineState, type ExecutionLine, type FinLine, type OpLine } from './engine-lines.ts';

/** What a compaction keeps: the executions the engine still holds, and the latest revision of each workflow. */
export interface EngineSnapshotSource {
  records(): Iterable<ExecutionRecord>;
  latestRevisions(): Iterable<string>;
}

/**
 * The engine's side of the journal: writes its records and answers the snapshot a compaction asks
 * for. An active execution is kept as all of its lines (its replay needs them); a finished one as
 * one self-contained `fin` line.
 */
export class EnginePersistence {
  /** The state found at open; the engine recovers from it once. */
  readonly state: EngineState;
  readonly #section: StoreSection;
  readonly #deploys: Map<string, DeployLine>;
  readonly #active = new Map<string, ExecutionLine[]>();

  constructor(section: StoreSection, source: EngineSnapshotSource) {
    this.#section = section;
    this.state = foldEngineLines(section.lines);
    this.#deploys = new Map(this.state.deployments);
    section.snapshot(() => this.#snapshot(source));
  }

  /** The last revision of `workflowId`, if it was deployed from exactly this; a restart then keeps its id. */
  sameDeployment(line: Omit<DeployLine, 'k' | 'rev' | 'n'>): DeployLine | undefined {
    const latest = [...this.#deploys.values()].filter((deploy) => deploy.wf === line.wf).at(-1);
    const same = latest && latest.src === line.src && latest.file === line.file && JSON.stringify(latest.env) === JSON.stringify(line.env);
    return same ? latest : undefined;
  }

  deployed(line: DeployLine): void {
    this.#deploys.set(line.rev, line);
    this.#section.append({ ...line });
  }

  started(record: ExecutionRecord, key: string): void {
    const line: ExecutionLine = {
      k: 'start', x: record.id, name: record.name, wf: record.workflowId, rev: record.revisionId, t: record.startTime,
      base: record.callbackBaseUrl, key,
      ...(record.argument === undefined ? {} : { arg: record.argument }),
      ...(record.requestId === undefined ? {} : { req: record.requestId }),
    };
    this.#active.set(record.id, [line]);
    this.#section.append({ ...line });
  }

  /** Takes over an execution recovered from the journal, which goes on writing its lines. */
  adopt(log: ActiveLog): void {
    this.#active.set(log.start.x, log.lines);
  }

  /** The line writer of one execution's effects. */
  writer(id: string): (line: Omit<OpLine, 'x'> | Omit<EndLine, 'x'>) => void {
    return (partial) => this.#write({ ...partial, x: id } as OpLine | EndLine);
  }

  delivered(id: string, cb: string, delivery: CallbackDelivery, at: number): void {
    this.#write({ k: 'cb', x: id, cb, at, d: { ...delivery } });
  }

  /** Records an execution's end, once; its effect lines are no longer needed. */
  finished(record: ExecutionRecord): void {
    if (record.state === 'ACTIVE' || !this.#active.delete(record.id)) return;
    this.#section.append({ ...finLine(record) });
  }

  sync(): Promise<void> {
    return this.#section.sync();
  }

  #write(line: ExecutionLine): void {
    const lines = this.#active.get(line.x);
    if (!lines) return; // Finished (a cancel): what it still does is of no consequence.
    lines.push(line);
    this.#section.append({ ...line });
  }

  #snapshot(source: EngineSnapshotSource): JournalLine[] {
    const executions: JournalLine[] = [];
    const revisions = new Set(source.latestRevisions());
    for (const record of source.records()) {
      const lines = this.#active.get(record.id);
      if (lines) revisions.add(record.revisionId);
      if (lines) executions.push(...lines.map((line) => ({ ...line })));
      else if (record.state !== 'ACTIVE') executions.push({ ...finLine(record) });
    }
    for (const rev of this.#deploys.keys()) if (!revisions.has(rev)) this.#deploys.delete(rev);
    return [...[...this.#deploys.values()].map((line) => ({ ...line })), ...executions];
  }
}

export function finLine(record: ExecutionRecord): FinLine {
  return {
    k: 'fin', x: record.id, name: record.name, wf: record.workflowId, rev: record.revisionId, t: record.startTime,
    state: record.state === 'ACTIVE' ? 'FAILED' : record.state,
    end: record.endTime ?? record.startTime,
    history: record.history.entries,
    ...(record.argument === undefined ? {} : { arg: record.argument }),
    ...(record.result === undefined ? {} : { result: record.result }),
    ...(record.error === undefined ? {} : { error: record.error }),
    ...(record.requestId === undefined ? {} : { req: record.requestId }),
  };
}
