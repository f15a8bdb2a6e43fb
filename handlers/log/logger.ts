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

/** Field names that may hold a credential anywhere in a log object. */
const redactedPaths = [
  'token',
  '*.token',
  'jitConfig',
  '*.jitConfig',
  'encoded_jit_config',
  '*.encoded_jit_config',
  'privateKey',
  '*.privateKey',
  'webhookSecret',
  '*.webhookSecret',
  'headers.authorization',
  '*.headers.authorization',
];

export function serializeError(error: unknown): Record<string, unknown> {
  if (error instanceof RunnerError) return { type: error.name, kind: error.kind, message: error.message };
  if (error instanceof Error) return { type: error.name, message: scrubSecrets(error.message) };
  return { type: typeof error, message: scrubSecrets(String(error)) };
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Log {
  return pino(
    {
      level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
      messageKey: 'message',
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ severity: severityByLevel[label] ?? 'DEFAULT' }) },
      serializers: { err: serializeError, error: serializeError },
      redact: { paths: redactedPaths, censor: '[REDACTED]' },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg) : arg));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** A logger that keeps every line in memory, for tests that assert on logs. */
export function createMemoryLogger(level = 'debug'): { log: Log; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const log = createLogger({ level, destination: { write: (chunk: string) => void chunks.push(chunk) } });
  return {
    log,
    text: () => chunks.join(''),
    lines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
