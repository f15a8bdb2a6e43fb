import { typeError } from '../errors.ts';
import { isMap, isNumber, typeName, type Value, type ValueMap } from '../values.ts';

/** What a standard-library function may reach beyond its arguments. */
export interface StdlibContext {
  /** Milliseconds since the epoch, from the engine's clock. */
  now(): number;
  getEnv(name: string): string | undefined;
  log(severity: string, payload: Value): void;
}

/**
 * One function of the standard library. `params` are the documented argument names, in order:
 * expressions pass arguments by position, `call` steps by these names.
 */
export interface FunctionSpec {
  params: readonly string[];
  required: number;
  call(args: Value[], ctx: StdlibContext): Value;
}

export function spec(params: readonly string[], call: FunctionSpec['call'], required = params.length): FunctionSpec {
  return { params, required, call };
}

export function argString(fn: string, value: Value | undefined): string {
  if (typeof value !== 'string') throw typeError(`${fn}: expected a string, got '${typeName(value ?? null)}'`);
  return value;
}

export function argInt(fn: string, value: Value | undefined): number {
  if (typeof value !== 'number') throw typeError(`${fn}: expected an integer, got '${typeName(value ?? null)}'`);
  return value;
}

export function argNumber(fn: string, value: Value | undefined): number {
  if (value === undefined || !isNumber(value)) throw typeError(`${fn}: expected a number, got '${typeName(value ?? null)}'`);
  return typeof value === 'number' ? value : value.value;
}

export function argList(fn: string, value: Value | undefined): Value[] {
  if (!Array.isArray(value)) throw typeError(`${fn}: expected a list, got '${typeName(value ?? null)}'`);
  return value;
}

export function argMap(fn: string, value: Value | undefined): ValueMap {
  if (value === undefined || !isMap(value)) throw typeError(`${fn}: expected a map, got '${typeName(value ?? null)}'`);
  return value;
}
