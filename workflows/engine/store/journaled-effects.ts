import { createHash } from 'node:crypto';
import type { EngineClock } from '../clock.ts';
import { HttpTransportError, withQuery, type HttpRequest, type HttpResponse, type HttpTransport } from '../http-transport.ts';
import type { CallbackRegistry, CallbackRequest } from '../runtime/callbacks.ts';
import type { Effects } from '../runtime/effects.ts';
import type { EndLine, OpKind, OpLine } from './engine-lines.ts';

/** The journal disagrees with the replay: the program or the engine changed under a running execution. */
export class ReplayMismatch extends Error {
  override readonly name = 'ReplayMismatch';
}

export interface JournaledEffectsDeps {
  clock: EngineClock;
  http: HttpTransport;
  callbacks: CallbackRegistry;
  /** Appends one of this execution's lines (the execution id is added by the writer). */
  write(line: Omit<OpLine, 'x'> | Omit<EndLine, 'x'>): void;
  sync(): Promise<void>;
}

type Recorded = Map<number, { op: OpLine; end?: EndLine }>;

/**
 * Effects that are recorded as they happen and replayed after a restart (deterministic replay, as
 * Temporal does it). Effect n of a replay gets effect n's recorded outcome instead of being
 * performed; one begun but not ended (the process died during it) is performed again from where
 * it was: a sleep or callback wait for the time left until its recorded deadline, an HTTP call
 * sent again with the same request. Re-sending is safe only because every step endpoint is
 * idempotent (names derived from the job; see workflows/runner.yaml), and happens only for a call
 * that was in flight at the crash: a call whose answer was recorded is never sent twice.
 */
export class JournaledEffects implements Effects {
  readonly caughtUp: Promise<void>;
  #seq = 0;
  #cursor: number;
  #live = false;
  #markCaughtUp!: () => void;

  private readonly deps: JournaledEffectsDeps;
  private readonly recorded: Recorded;
  constructor(deps: JournaledEffectsDeps, recorded: Recorded, startTime: number) {
    this.deps = deps;
    this.recorded = recorded;
    this.#cursor = startTime;
    this.caughtUp = new Promise((resolve) => (this.#markCaughtUp = resolve));
    if (recorded.size === 0) this.#goLive();
  }

  now(): number {
    const { n, entry } = this.#take('now');
    if (entry) return entry.op.v ?? this.#cursor;
    const value = this.deps.clock.now();
    this.deps.write({ k: 'op', n, at: value, o: 'now', v: value });
    return value;
  }

  /**
   * Until the replay asks for an effect the journal does not have, the time of the effect last
   * replayed: step entries (and an end that was not written) keep their original times.
   */
  stepTime(): number {
    return this.#live ? this.deps.clock.now() : this.#cursor;
  }

  async sleep(ms: number, signal: AbortSignal): Promise<void> {
    const { n, entry } = this.#take('sleep');
    if (entry?.end) return;
    const now = this.deps.clock.now();
    if (!entry) this.deps.write({ k: 'op', n, at: now, o: 'sleep', until: now + ms });
    await this.deps.clock.sleep(entry ? Math.max(0, (entry.op.until ?? now) - now) : ms, signal);
    this.deps.write({ k: 'end', n, at: this.deps.clock.now() });
  }

  async http(request: HttpRequest): Promise<HttpResponse> {
    const { n, entry } = this.#take('http');
    const digest = { m: request.method, u: withQuery(request.url, request.query), h: digestOf(request.body) };
    if (entry && (entry.op.m !== digest.m || entry.op.u !== digest.u || entry.op.h !== digest.h)) {
      throw new ReplayMismatch(`effect ${n}: the journal has ${entry.op.m} ${entry.op.u}, the replay sends ${digest.m} ${digest.u}`);
    }
    if (entry?.end) return replayedResponse(entry.end);
    if (!entry) this.deps.write({ k: 'op', n, at: this.deps.clock.now(), o: 'http', ...digest });
    let response: HttpResponse;
    try {
      response = await this.deps.http(request);
    } catch (error) {
      if (request.signal?.aborted) throw error;
      const kind = error instanceof HttpTransportError ? error.kind : 'connection';
      const message = error instanceof Error ? error.message : String(error);
      await this.#end({ k: 'end', n, at: this.deps.clock.now(), e: { kind, message } });
      throw error;
    }
    await this.#end({ k: 'end', n, at: this.deps.clock.now(), r: response });
    return response;
  }

  async awaitCallback(id: string, timeoutMs: number, signal: AbortSignal): Promise<CallbackRequest | undefined> {
    const { n, entry } = this.#take('await');
    if (entry && entry.op.cb !== id) throw new ReplayMismatch(`effect ${n}: the journal awaits callback ${entry.op.cb}, the replay ${id}`);
    if (entry?.end) return entry.end.got ? this.#buffered(n, id) : undefined;
    const now = this.deps.clock.now();
    if (!entry) this.deps.write({ k: 'op', n, at: now, o: 'await', cb: id, until: now + timeoutMs });
    const left = entry ? Math.max(0, (entry.op.until ?? now) - now) : timeoutMs;
    const request = await this.deps.callbacks.await(id, left, this.deps.clock, signal);
    this.deps.write({ k: 'end', n, at: this.deps.clock.now(), got: request !== undefined });
    return request;
  }

  #take(kind: OpKind): { n: number; entry: { op: OpLine; end?: EndLine } | undefined } {
    const n = this.#seq++;
    const entry = this.recorded.get(n);
    if (entry) {
      if (entry.op.o !== kind) throw new ReplayMismatch(`effect ${n}: the journal has ${entry.op.o}, the replay asks for ${kind}`);
      this.recorded.delete(n);
      this.#cursor = entry.end?.at ?? entry.op.at;
    }
    if (!entry?.end) this.#goLive();
    return { n, entry };
  }

  #goLive(): void {
    this.#live = true;
    this.#markCaughtUp();
  }

  #buffered(n: number, id: string): CallbackRequest {
    const request = this.deps.callbacks.takeBuffered(id);
    if (!request) throw new ReplayMismatch(`effect ${n}: the journal says a callback came at ${id}, but none was recorded`);
    return request;
  }

  /** An answer is flushed before the program acts on it: after any crash, it is replayed, not re-sent. */
  async #end(line: Omit<EndLine, 'x'>): Promise<void> {
    this.deps.write(line);
    await this.deps.sync();
  }
}

function digestOf(body: string | undefined): string {
  return createHash('sha256').update(body ?? '').digest('base64url').slice(0, 22);
}

function replayedResponse(end: EndLine): HttpResponse {
  if (end.e) throw new HttpTransportError(end.e.kind, end.e.message);
  if (!end.r) throw new ReplayMismatch('an HTTP effect was recorded without its answer');
  return end.r;
}
