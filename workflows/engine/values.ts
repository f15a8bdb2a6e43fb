/**
 * The value model of the Workflows language. Integers and doubles are distinct types there
 * (`4 / 2` is the double 2.0, `4 // 2` the integer 2), so doubles are boxed in `Double` and plain
 * JS numbers are always integers. Values are never mutated in place: assignment copies the path it
 * changes, which gives the language's value semantics and lets constants be shared.
 */
export class Double {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

export type Value = null | boolean | number | string | Double | Value[] | ValueMap;
export interface ValueMap {
  [key: string]: Value;
}

export type TypeName = 'null' | 'boolean' | 'integer' | 'double' | 'string' | 'list' | 'map';

export function isMap(value: Value): value is ValueMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Double);
}

export function isNumber(value: Value): value is number | Double {
  return typeof value === 'number' || value instanceof Double;
}

export function numberOf(value: number | Double): number {
  return typeof value === 'number' ? value : value.value;
}

export function typeName(value: Value): TypeName {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return 'integer';
  if (typeof value === 'string') return 'string';
  if (value instanceof Double) return 'double';
  return Array.isArray(value) ? 'list' : 'map';
}

/**
 * A plain object: V8 keeps prototype-less objects in slow dictionary mode, at three times the
 * memory, and maps are most of what an execution holds. Keys are therefore read only after
 * `hasKey` and written with `setKey`, so `constructor` or `__proto__` stay plain data.
 */
export function newMap(entries?: Iterable<readonly [string, Value]>): ValueMap {
  const map: ValueMap = {};
  if (entries) for (const [key, value] of entries) setKey(map, key, value);
  return map;
}

export function setKey(map: ValueMap, key: string, value: Value): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  else map[key] = value;
}

export function hasKey(map: ValueMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** From parsed JSON: integral numbers are integers, the others doubles. */
export function fromJson(json: unknown): Value {
  if (json === null || json === undefined) return null;
  if (typeof json === 'number') return Number.isInteger(json) ? json : new Double(json);
  if (typeof json === 'boolean' || typeof json === 'string') return json;
  if (Array.isArray(json)) return json.map(fromJson);
  if (typeof json === 'object') {
    return newMap(Object.entries(json as Record<string, unknown>).map(([k, v]) => [k, fromJson(v)] as const));
  }
  return String(json);
}

export function toJson(value: Value): unknown {
  if (value instanceof Double) return Number.isFinite(value.value) ? value.value : null;
  if (Array.isArray(value)) return value.map(toJson);
  if (isMap(value)) {
    const out: ValueMap = {};
    for (const key of Object.keys(value)) setKey(out, key, toJson(value[key] as Value) as Value);
    return out;
  }
  return value;
}

export function toJsonString(value: Value, indent?: number): string {
  return JSON.stringify(toJson(value), null, indent);
}

export function deepEqual(a: Value, b: Value): boolean {
  if (isNumber(a) && isNumber(b)) return numberOf(a) === numberOf(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i] as Value));
  }
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => hasKey(b, key) && deepEqual(a[key] as Value, b[key] as Value));
  }
  return a === b;
}

/** Approximate encoded size in bytes, the measure Workflows applies to its memory limits. */
export function sizeOf(value: Value): number {
  if (value === null) return 4;
  if (typeof value === 'boolean') return value ? 4 : 5;
  if (typeof value === 'number') return String(value).length;
  if (typeof value === 'string') return value.length + 2;
  if (value instanceof Double) return String(value.value).length;
  if (Array.isArray(value)) {
    let size = 2;
    for (const item of value) size += sizeOf(item) + 1;
    return size;
  }
  let size = 2;
  for (const key of Object.keys(value)) size += key.length + 4 + sizeOf(value[key] as Value);
  return size;
}
