import { runnerIdOf } from './jit-config.ts';
import type { SimLabel, SimRunner, SimScope } from './types.ts';

export interface NewRunner {
  readonly name: string;
  readonly groupId: number;
  readonly labels: readonly string[];
  readonly workFolder?: string;
}

/** Self-hosted runners by scope. Names are unique within a scope, as on GitHub. */
export interface RunnerRegistry {
  /** `exists` when the scope already has a runner of that name. */
  register(scope: SimScope, runner: NewRunner): SimRunner | 'exists';
  get(id: number): SimRunner | undefined;
  /** The scope's runners in id order. */
  inScope(scope: SimScope): SimRunner[];
  remove(id: number): boolean;
  all(): SimRunner[];
}

const FIRST_RUNNER_ID = 101;

export function scopeKey(scope: SimScope): string {
  return scope.repo === undefined ? scope.owner.toLowerCase() : `${scope.owner}/${scope.repo}`.toLowerCase();
}

export function createRunnerRegistry(): RunnerRegistry {
  const runners = new Map<number, SimRunner>();
  let nextId = FIRST_RUNNER_ID;
  let nextLabelId = 1;
  const inScope = (scope: SimScope) => [...runners.values()].filter((r) => scopeKey(r.scope) === scopeKey(scope));
  return {
    register(scope, input) {
      if (inScope(scope).some((r) => r.name === input.name)) return 'exists';
      const labels: SimLabel[] = input.labels.map((name) => ({ id: nextLabelId++, name, type: 'custom' }));
      const runner: SimRunner = {
        id: nextId++,
        name: input.name,
        scope,
        groupId: input.groupId,
        labels,
        workFolder: input.workFolder ?? '_work',
        status: 'offline',
        busy: false,
        connected: false,
      };
      runners.set(runner.id, runner);
      return runner;
    },
    get: (id) => runners.get(id),
    inScope,
    remove: (id) => runners.delete(id),
    all: () => [...runners.values()],
  };
}

/** GitHub's `runner` object. */
export function runnerJson(runner: SimRunner): Record<string, unknown> {
  return {
    id: runner.id,
    runner_group_id: runner.groupId,
    name: runner.name,
    os: 'linux',
    status: runner.status,
    busy: runner.busy,
    ephemeral: true,
    labels: runner.labels.map((label) => ({ ...label })),
  };
}

/** A JIT config works once, and only while its runner is registered. */
export function connectableRunner(runners: RunnerRegistry, encodedJitConfig: string): SimRunner {
  const id = runnerIdOf(encodedJitConfig);
  const runner = id === null ? undefined : runners.get(id);
  if (runner === undefined) throw new Error('the JIT config names no registered runner (deleted, or not a JIT config)');
  if (runner.connected) throw new Error(`the JIT config of runner ${runner.name} was already used`);
  return runner;
}
