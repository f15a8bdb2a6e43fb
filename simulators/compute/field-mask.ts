import { invalidField } from './google-error.ts';
import type { Json } from './sim-types.ts';

/** A parsed partial-response mask: `true` keeps the whole value, a map keeps only those keys (`*`: every key). */
type Mask = true | Map<string, Mask>;

function merge(into: Map<string, Mask>, key: string, mask: Mask): void {
  const existing = into.get(key);
  if (existing === undefined) into.set(key, mask);
  else if (existing !== true && mask !== true) for (const [k, v] of mask) merge(existing, k, v);
  else into.set(key, true);
}

/**
 * Google's `fields` / `X-Goog-FieldMask` syntax: comma-separated paths, `.` or `/` between
 * segments, `a(b,c)` for several sub-fields, `*` for every key of a map.
 */
export function parseFieldMask(text: string): Map<string, Mask> {
  let position = 0;
  const fail = () => invalidField('fields', text, 'Invalid field selection.');
  const parseList = (closing: string | null): Map<string, Mask> => {
    const result = new Map<string, Mask>();
    for (;;) {
      const [key, mask] = parsePath(closing);
      merge(result, key, mask);
      if (text[position] === ',') {
        position += 1;
        continue;
      }
      if (closing === null ? position === text.length : text[position] === closing) return result;
      throw fail();
    }
  };
  const parsePath = (closing: string | null): [string, Mask] => {
    const match = /^[A-Za-z0-9_*]+/.exec(text.slice(position));
    if (!match) throw fail();
    position += match[0].length;
    const next = text[position];
    if (next === '.' || next === '/') {
      position += 1;
      const [key, mask] = parsePath(closing);
      return [match[0], new Map([[key, mask]])];
    }
    if (next === '(') {
      position += 1;
      const inner = parseList(')');
      position += 1;
      return [match[0], inner];
    }
    return [match[0], true];
  };
  const mask = parseList(null);
  return mask;
}

function project(value: unknown, mask: Mask): unknown {
  if (mask === true || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => project(item, mask));
  const result: Json = {};
  for (const [key, item] of Object.entries(value as Json)) {
    const sub = mask.get(key) ?? mask.get('*');
    if (sub !== undefined) result[key] = project(item, sub);
  }
  return result;
}

/** The response as Compute sends it with a field mask: only the selected fields. */
export function applyFieldMask(response: Json, mask: string | undefined): Json {
  return mask === undefined || mask === '' || mask === '*' ? response : (project(response, parseFieldMask(mask)) as Json);
}
