import { createRequire } from 'node:module';
import { invalidPayload, type GoogleApiError } from './google-error.ts';

interface ProtoField {
  readonly type: string;
  readonly rule?: string;
  readonly keyType?: string;
}
interface ProtoMessage {
  readonly fields?: Readonly<Record<string, ProtoField>>;
}
/** The `google.cloud.compute.v1` namespace of the client library's protos.json. */
export type ComputeSchema = Readonly<Record<string, ProtoMessage>>;

/** Loads the message types the real client library is generated from, so the simulator accepts the same field names. */
export function loadComputeSchema(): ComputeSchema {
  const require = createRequire(import.meta.url);
  const root = require('@google-cloud/compute/build/protos/protos.json') as {
    nested: { google: { nested: { cloud: { nested: { compute: { nested: { v1: { nested: ComputeSchema } } } } } } } };
  };
  return root.nested.google.nested.cloud.nested.compute.nested.v1.nested;
}

const integerTypes = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64']);

/**
 * Checks a JSON body against a message type as the REST front end of Compute does: an unknown
 * field or a value of the wrong type is a 400 `Invalid JSON payload received`.
 */
export function checkShape(schema: ComputeSchema, typeName: string, value: unknown, at: string): GoogleApiError | null {
  const type = schema[typeName];
  if (!type) return null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalidPayload(`Expected an object at '${at}'.`);
  }
  for (const [key, item] of Object.entries(value)) {
    const field = type.fields?.[key];
    if (!field) return invalidPayload(`Unknown name "${key}" at '${at}': Cannot find field.`);
    if (item === null) continue;
    const problem = checkField(schema, field, item, `${at}.${key}`);
    if (problem) return problem;
  }
  return null;
}

function checkField(schema: ComputeSchema, field: ProtoField, value: unknown, at: string): GoogleApiError | null {
  if (field.rule === 'repeated') {
    if (!Array.isArray(value)) return invalidPayload(`Invalid value at '${at}': expected a list.`);
    for (const [index, item] of value.entries()) {
      const problem = checkValue(schema, field.type, item, `${at}[${index}]`);
      if (problem) return problem;
    }
    return null;
  }
  if (field.keyType !== undefined) {
    if (typeof value !== 'object' || Array.isArray(value)) return invalidPayload(`Invalid value at '${at}': expected a map.`);
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const problem = checkValue(schema, field.type, item, `${at}[${key}]`);
      if (problem) return problem;
    }
    return null;
  }
  return checkValue(schema, field.type, value, at);
}

function checkValue(schema: ComputeSchema, type: string, value: unknown, at: string): GoogleApiError | null {
  const wrong = (expected: string): GoogleApiError => invalidPayload(`Invalid value at '${at}' (${expected}), ${JSON.stringify(value)}`);
  if (type === 'string') return typeof value === 'string' ? null : wrong('TYPE_STRING');
  if (type === 'bool') return typeof value === 'boolean' ? null : wrong('TYPE_BOOL');
  if (type === 'double' || type === 'float') return typeof value === 'number' ? null : wrong('TYPE_DOUBLE');
  if (integerTypes.has(type)) {
    const ok = (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value));
    return ok ? null : wrong(type.includes('64') ? 'TYPE_INT64' : 'TYPE_INT32');
  }
  return checkShape(schema, type, value, at);
}
