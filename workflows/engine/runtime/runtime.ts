import type { Program } from '../loader/program.ts';
import type { StdlibContext } from '../stdlib/function-spec.ts';
import type { CallbackRegistry } from './callbacks.ts';
import type { Effects } from './effects.ts';
import type { StepHistory } from './history.ts';

/** Everything one running execution needs; one per execution, kept small. */
export interface ExecutionRuntime {
  readonly program: Program;
  /** Time, sleeps, HTTP and callback waits: live, or recorded and replayed (effects.ts). */
  readonly effects: Effects;
  readonly signal: AbortSignal;
  readonly stdlib: StdlibContext;
  readonly history: StepHistory;
  readonly callbacks: CallbackRegistry;
  /** Bytes held by all variables of all frames, against `limits.variableBytes`. */
  readonly memory: { used: number };
  callbackUrl(callbackId: string): string;
  depth: number;
  stepsRun: number;
}

/** The Workflows quotas the engine enforces. */
export const limits = {
  // Total size of the variables of one execution: 512 KB.
  variableBytes: 512 * 1024,
  // Execution argument: 32 KB.
  argumentBytes: 32 * 1024,
  // HTTP response body: 2 MB.
  httpResponseBytes: 2 * 1024 * 1024,
  // Steps one execution may run: 100,000; guards against runaway loops.
  steps: 100_000,
  // Nested subworkflow calls: 20 deep.
  callDepth: 20,
} as const;
