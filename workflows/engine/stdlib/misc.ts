import { valueError } from '../errors.ts';
import { Double, fromJson, toJsonString, type Value } from '../values.ts';
import { argNumber, argString, spec, type FunctionSpec } from './function-spec.ts';

/** `json`, `math`, `time` and the non-blocking `sys` functions. */
export const miscFunctions: Record<string, FunctionSpec> = {
  'json.encode_to_string': spec(['data', 'indent'], ([data, indent]) => encode(data ?? null, indent ?? null), 1),
  'json.decode': spec(['data'], ([data]) => decode(argString('json.decode', data))),
  'math.abs': spec(['x'], ([x]) => numeric(x, Math.abs(argNumber('math.abs', x)))),
  'math.floor': spec(['x'], ([x]) => Math.floor(argNumber('math.floor', x))),
  'math.max': spec(['x', 'y'], ([x, y]) => (argNumber('math.max', x) >= argNumber('math.max', y) ? x : y) ?? null),
  'math.min': spec(['x', 'y'], ([x, y]) => (argNumber('math.min', x) <= argNumber('math.min', y) ? x : y) ?? null),
  'time.format': spec(['seconds', 'timezone'], ([seconds, zone]) => formatTime(argNumber('time.format', seconds), zone ?? null), 1),
  'time.parse': spec(['value'], ([value]) => parseTime(argString('time.parse', value))),
  'sys.now': spec([], (_args, ctx) => new Double(ctx.now() / 1000)),
  'sys.get_env': spec(['name', 'default'], ([name, fallback], ctx) => {
    const value = ctx.getEnv(argString('sys.get_env', name));
    if (value !== undefined) return value;
    return fallback === undefined || fallback === null ? null : argString('sys.get_env', fallback);
  }, 1),
  'sys.log': spec(['data', 'severity', 'text', 'json', 'timeout'], ([data, severity, text, json], ctx) => {
    const level = severity === undefined || severity === null ? 'DEFAULT' : argString('sys.log', severity);
    ctx.log(level, text ?? json ?? data ?? null);
    return null;
  }, 0),
};

function numeric(input: Value | undefined, result: number): Value {
  return input instanceof Double ? new Double(result) : result;
}

function encode(data: Value, indent: Value): string {
  if (indent === null || indent === false) return toJsonString(data);
  return toJsonString(data, indent === true ? 2 : argNumber('json.encode_to_string', indent));
}

function decode(text: string): Value {
  try {
    return fromJson(JSON.parse(text));
  } catch {
    throw valueError(`json.decode: invalid JSON: ${text.slice(0, 100)}`);
  }
}

// Only UTC: the embedded engine carries no time zone database of its own.
function formatTime(seconds: number, zone: Value): string {
  if (zone !== null && zone !== 'UTC' && zone !== 'Etc/UTC') {
    throw valueError(`time.format: time zone ${JSON.stringify(zone)} is not supported by the embedded engine (only UTC)`);
  }
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) throw valueError(`time.format: ${seconds} is out of range`);
  return date.toISOString();
}

function parseTime(value: string): Double {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw valueError(`time.parse: not an ISO 8601 time: ${JSON.stringify(value)}`);
  return new Double(ms / 1000);
}

