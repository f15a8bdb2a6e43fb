import { keyError, taggedError } from '../errors.ts';
import type { EvalEnv } from '../expr/evaluator.ts';
import { callStdlib } from '../stdlib/registry.ts';
import { sizeOf, type Value } from '../values.ts';
import { limits, type ExecutionRuntime } from './runtime.ts';

export interface StepRef {
  name: string;
  line: number;
  column: number;
}

const noStep: StepRef = { name: '', line: 0, column: 0 };

/**
 * The variables of one routine invocation. Each variable's size is kept, so the execution-wide
 * total is updated by re-measuring only the variable an assignment changed.
 */
export class Frame implements EvalEnv {
  currentStep: StepRef = noStep;
  private readonly values = new Map<string, Value>();
  private readonly sizes = new Map<string, number>();

  readonly routine: string;
  private readonly rt: ExecutionRuntime;
  constructor(routine: string, rt: ExecutionRuntime) {
    this.routine = routine;
    this.rt = rt;
  }

  lookup(name: string): Value {
    const value = this.values.get(name);
    if (value === undefined) throw keyError(`variable "${name}" is not defined`);
    return value;
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  set(name: string, value: Value): void {
    const size = sizeOf(value) + name.length;
    const used = this.rt.memory.used - (this.sizes.get(name) ?? 0) + size;
    if (used > limits.variableBytes) {
      throw taggedError('ResourceLimitError', `variables would use ${used} bytes; the limit is ${limits.variableBytes}`);
    }
    this.rt.memory.used = used;
    this.values.set(name, value);
    this.sizes.set(name, size);
  }

  delete(name: string): void {
    this.rt.memory.used -= this.sizes.get(name) ?? 0;
    this.values.delete(name);
    this.sizes.delete(name);
  }

  release(): void {
    for (const name of this.names()) this.delete(name);
  }

  callFunction(name: string, args: Value[]): Value {
    return callStdlib(name, args, this.rt.stdlib);
  }
}
