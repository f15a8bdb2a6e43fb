import { typeError, valueError } from '../errors.ts';
import { Double, isMap, typeName, type Value } from '../values.ts';
import { argMap, spec, type FunctionSpec } from './function-spec.ts';

/** The expression helpers: conversions, `len`, `keys`, `default`, `if`, `get_type`. */
export const coreFunctions: Record<string, FunctionSpec> = {
  default: spec(['value', 'default_value'], ([value, fallback]) => (value === null ? (fallback ?? null) : (value ?? null))),
  if: spec(['condition', 'if_true', 'if_false'], ([condition, ifTrue, ifFalse]) => {
    if (typeof condition !== 'boolean') throw typeError(`if: condition must be a boolean, not '${typeName(condition ?? null)}'`);
    return (condition ? ifTrue : ifFalse) ?? null;
  }),
  len: spec(['value'], ([value]) => length(value ?? null)),
  keys: spec(['map'], ([map]) => Object.keys(argMap('keys', map))),
  get_type: spec(['value'], ([value]) => typeName(value ?? null)),
  int: spec(['value'], ([value]) => toInt(value ?? null)),
  double: spec(['value'], ([value]) => toDouble(value ?? null)),
  string: spec(['value'], ([value]) => toStringValue(value ?? null)),
  bool: spec(['value'], ([value]) => toBool(value ?? null)),
};

function length(value: Value): number {
  if (typeof value === 'string') return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (isMap(value)) return Object.keys(value).length;
  throw typeError(`len: expected a string, list or map, got '${typeName(value)}'`);
}

function toInt(value: Value): number {
  if (typeof value === 'number') return value;
  if (value instanceof Double) return Math.trunc(value.value);
  if (typeof value === 'string' && /^\s*[-+]?[0-9]+\s*$/.test(value)) {
    const parsed = Number(value);
    if (Number.isSafeInteger(parsed)) return parsed;
  }
  if (typeof value === 'string') throw valueError(`int: cannot convert "${value}" to an integer`);
  throw typeError(`int: expected a string or a double, got '${typeName(value)}'`);
}

function toDouble(value: Value): Double {
  if (typeof value === 'number') return new Double(value);
  if (value instanceof Double) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return new Double(Number(value));
  if (typeof value === 'string') throw valueError(`double: cannot convert "${value}" to a double`);
  throw typeError(`double: expected a string or an integer, got '${typeName(value)}'`);
}

function toStringValue(value: Value): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Double) return String(value.value);
  throw typeError(`string: expected an integer, double, boolean or string, got '${typeName(value)}'`);
}

function toBool(value: Value): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  if (typeof value === 'string') throw valueError(`bool: cannot convert "${value}" to a boolean`);
  throw typeError(`bool: expected a string or a boolean, got '${typeName(value)}'`);
}
