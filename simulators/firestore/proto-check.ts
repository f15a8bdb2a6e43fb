import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import { FirestoreError } from './firestore-error.ts';

/**
 * The message types the client library is generated from: protos.json of
 * @google-cloud/firestore-api, the package @google-cloud/firestore depends on for them.
 */
export function loadFirestoreProtos(): protobuf.Root {
  const require = createRequire(import.meta.url);
  const fromFirestore = createRequire(require.resolve('@google-cloud/firestore'));
  return protobuf.Root.fromJSON(fromFirestore('@google-cloud/firestore-api/protos/protos.json') as protobuf.INamespace);
}

const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
const integerTypes = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64']);
const invalid = (why: string) => new FirestoreError('INVALID_ARGUMENT', `Invalid JSON payload received. ${why}`);

/**
 * Checks a proto3-JSON request body against its message type as Google's REST front end does:
 * an unknown field, a value of the wrong type or two members of one oneof are a 400.
 */
export function checkMessage(type: protobuf.Type, value: unknown, at: string): void {
  if (type.fullName === '.google.protobuf.Timestamp') {
    if (typeof value !== 'string' || !rfc3339.test(value)) throw invalid(`Invalid value at '${at}' (type.googleapis.com/google.protobuf.Timestamp), ${JSON.stringify(value)}`);
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`Expected an object at '${at}'.`);
  for (const [key, item] of Object.entries(value)) {
    const field = type.fields[key];
    if (!field) throw invalid(`Unknown name "${key}" at '${at}': Cannot find field.`);
    checkField(field, item, `${at}.${key}`);
  }
  for (const oneof of type.oneofsArray) {
    const set = oneof.oneof.filter((name) => name in value);
    if (set.length > 1) throw invalid(`Multiple values for oneof '${oneof.name}' at '${at}': ${set.join(', ')}.`);
  }
}

function checkField(field: protobuf.Field, value: unknown, at: string): void {
  field.resolve();
  if (field.repeated) {
    if (!Array.isArray(value)) throw invalid(`Invalid value at '${at}': expected a list.`);
    value.forEach((item, index) => checkValue(field, item, `${at}[${index}]`));
  } else if (field.map) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`Invalid value at '${at}': expected a map.`);
    for (const [key, item] of Object.entries(value)) checkValue(field, item, `${at}[${key}]`);
  } else {
    checkValue(field, value, at);
  }
}

function checkValue(field: protobuf.Field, value: unknown, at: string): void {
  const wrong = () => invalid(`Invalid value at '${at}' (${field.type}), ${JSON.stringify(value)}`);
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return checkMessage(resolved, value, at);
  if (resolved instanceof protobuf.Enum) {
    if (typeof value === 'number' ? !Object.values(resolved.values).includes(value) : typeof value !== 'string' || !(value in resolved.values)) throw wrong();
    return;
  }
  if (field.type === 'string' && typeof value !== 'string') throw wrong();
  if (field.type === 'bool' && typeof value !== 'boolean') throw wrong();
  if ((field.type === 'double' || field.type === 'float') && typeof value !== 'number') throw wrong();
  if (field.type === 'bytes' && (typeof value !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(value))) throw wrong();
  if (integerTypes.has(field.type) && !((typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value)))) throw wrong();
}
