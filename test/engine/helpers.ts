import { evaluate } from '../../workflows/engine/expr/evaluator.ts';
import { parseExpression } from '../../workflows/engine/expr/parser.ts';
import { ManualClock } from '../../workflows/engine/clock.ts';
import { EmbeddedEngine } from '../../workflows/engine/engine.ts';
import { WorkflowError, WorkflowLoadError } from '../../workflows/engine/errors.ts';
import type { Execution } from '../../workflows/engine/execution-record.ts';
import { HttpTransportError, type HttpTransport } from '../../workflows/engine/http-transport.ts';
import { callStdlib } from '../../workflows/engine/stdlib/registry.ts';
import { fromJson, toJson, type Value } from '../../workflows/engine/values.ts';
import { loadWorkflow } from '../../workflows/engine/loader/load-workflow.ts';

/** Evaluates one expression (without `${}`) over JSON variables; the result as JSON. */
export function evalExpr(source: string, vars: Record<string, unknown> = {}): unknown {
  return toJson(evalValue(source, vars));
}

export function evalValue(source: string, vars: Record<string, unknown> = {}): Value {
  const values = new Map(Object.entries(vars).map(([k, v]) => [k, fromJson(v)] as const));
  const ctx = { now: () => Date.UTC(2025, 0, 1), getEnv: () => undefined, log: () => undefined };
  return evaluate(parseExpression(source), {
    lookup: (name) => {
      const value = values.get(name);
      if (value === undefined) throw new WorkflowError({ message: `no ${name}`, tags: ['KeyError'] });
      return value;
    },
    callFunction: (name, args) => callStdlib(name, args, ctx),
  });
}

/** The problems loading `source` reports (each starting with `fileName`), or none. */
export function loadProblems(source: string, fileName: string): readonly string[] {
  try {
    loadWorkflow(source, fileName);
  } catch (error) {
    if (error instanceof WorkflowLoadError) return error.problems;
    throw error;
  }
  return [];
}

/** The tags of the WorkflowError `fn` throws. */
export function tagsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof WorkflowError && error.payload !== null && typeof error.payload === 'object' && !Array.isArray(error.payload)) {
      return (toJson(error.payload) as { tags: string[] }).tags;
    }
    throw error;
  }
  throw new Error('expected a WorkflowError');
}

/** Refuses every request, as if nothing listened: tests that must not do HTTP use it. */
export const noHttp: HttpTransport = async (request) => {
  throw new HttpTransportError('connection_failed', `no server at ${request.url}`);
};

export interface RunOptions {
  argument?: unknown;
  http?: HttpTransport;
  env?: Record<string, string>;
  clock?: ManualClock;
}

export interface RunOutcome {
  execution: Execution;
  result: unknown;
  error: unknown;
  clock: ManualClock;
  engine: EmbeddedEngine;
}

export function newEngine(clock: ManualClock, http: HttpTransport = noHttp): EmbeddedEngine {
  return new EmbeddedEngine({ callbackBaseUrl: 'http://127.0.0.1:9/engine', projectId: 'test-project', location: 'us-central1', clock, http });
}

/** Deploys `source`, runs one execution to its end with a manual clock, and decodes the outcome. */
export async function runWorkflow(source: string, options: RunOptions = {}): Promise<RunOutcome> {
  const clock = options.clock ?? new ManualClock();
  const engine = newEngine(clock, options.http);
  engine.deploy('wf', source, 'test.yaml', options.env ?? {});
  const argument = options.argument === undefined ? undefined : JSON.stringify(options.argument);
  const started = engine.createExecution('wf', argument);
  await clock.runUntilIdle();
  const execution = await engine.awaitExecution(started.name);
  return {
    execution,
    result: execution.result === undefined ? undefined : JSON.parse(execution.result),
    error: execution.error === undefined ? undefined : JSON.parse(execution.error.payload),
    clock,
    engine,
  };
}
