import { pino, type DestinationStream, type Logger } from 'pino';
import { RunnerError, scrubSecrets } from '../errors.ts';

/** Structured JSON logger: Cloud Logging reads `severity` and `message` from each line. */
export type Log = Logger;

const severityByLevel: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/**
 * Field names that may hold a credential, at the top of a log object (and of child bindings) or one
 * level down, plus `headers.authorization` at either level: what the redact paths `token`,
 * `*.token`, … said. The top level stays with pino's `redact` (cheap, and it covers bindings); the
 * level below is `redactSecrets`, a `formatters.log`: with `*.` wildcard paths, pino 10's redact
 * cost ~12 µs a line, more than the rest of the line. Nested objects in child bindings are no
 * longer covered (none exist: every `.child()` binds flat values).
 */
const secretKeys: readonly string[] = ['token', 'jitConfig', 'encoded_jit_config', 'privateKey', 'webhookSecret'];
const censor = '[REDACTED]';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Error);
}

function redactLevel(object: Record<string, unknown>, depth: number): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(object)) {
    const value = object[key];
    let replaced = value;
    if (secretKeys.includes(key)) replaced = censor;
    else if (key === 'headers' && isPlainObject(value) && 'authorization' in value) replaced = { ...value, authorization: censor };
    else if (depth === 0 && isPlainObject(value)) replaced = redactLevel(value, 1);
    if (replaced !== value) {
      copy ??= { ...object };
      copy[key] = replaced;
    }
  }
  return copy ?? object;
}

/** Copies only what it censors; the object itself when nothing is secret. */
export const redactSecrets = (object: Record<string, unknown>): Record<string, unknown> => redactLevel(object, 0);

export function serializeError(error: unknown): Record<string, unknown> {
  if (error instanceof RunnerError) return { type: error.name, kind: error.kind, message: error.message };
  if (error instanceof Error) return { type: error.name, message: scrubSecrets(error.message) };
  return { type: typeof error, message: scrubSecrets(String(error)) };
}

/**
 * pino's `isoTime`, formatting the date once per millisecond: at thousands of lines a second (the
 * webhook's decisions) consecutive lines mostly share it.
 */
function isoTimeOncePerMs(): () => string {
  let lastMs = Number.NaN;
  let lastField = '';
  return () => {
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      lastField = `,"time":"${new Date(now).toISOString()}"`;
    }
    return lastField;
  };
}

/** Scrubs the string arguments (the message and its format values) in place; objects go through `redactSecrets`. */
function scrubStringArguments(args: unknown[]): void {
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (typeof arg === 'string') args[index] = scrubSecrets(arg);
  }
}

/** `onMetric`: receives the object of every line that carries a `metric` field (see handlers/metrics). */
export function createLogger(options: { level?: string; destination?: DestinationStream; onMetric?: (fields: Record<string, unknown>) => void } = {}): Log {
  const onMetric = options.onMetric;
  return pino(
    {
      level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
      messageKey: 'message',
      base: null,
      timestamp: isoTimeOncePerMs(),
      formatters: { level: (label) => ({ severity: severityByLevel[label] ?? 'DEFAULT' }), log: redactSecrets },
      serializers: { err: serializeError, error: serializeError },
      redact: { paths: [...secretKeys, 'headers.authorization'], censor },
      hooks: {
        logMethod(args, method) {
          // `args` is pino's own copy of the call's arguments, made for this hook.
          scrubStringArguments(args);
          const first = args[0];
          if (onMetric && typeof first === 'object' && first !== null && 'metric' in first) onMetric(first as Record<string, unknown>);
          method.apply(this, args);
        },
      },
    },
    // Lines are written in 4 KB batches, and at least every 100 ms: one asynchronous write per line
    // (a thread-pool round trip) cost ~15 µs of CPU a line, a third of a logged webhook's own work.
    // pino flushes what is left when the process exits.
    options.destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 100 }),
  );
}

/** A logger that keeps every line in memory, for tests that assert on logs. */
export function createMemoryLogger(level = 'debug', onMetric?: (fields: Record<string, unknown>) => void): { log: Log; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const log = createLogger({ level, destination: { write: (chunk: string) => void chunks.push(chunk) }, ...(onMetric ? { onMetric } : {}) });
  return {
    log,
    text: () => chunks.join(''),
    lines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
