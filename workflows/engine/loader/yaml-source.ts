import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { Double, newMap, setKey, type Value, type ValueMap } from '../values.ts';

/** A workflow source as plain values, plus where each map or list began in the file. */
export interface ParsedSource {
  root: Value;
  /** 1-based line and column of a map or list of `root`, for messages and stack traces. */
  positionOf(node: Value): { line: number; column: number } | undefined;
  errors: string[];
}

/**
 * Parses YAML (JSON is YAML too) into `Value`s. A number written with a point or an exponent
 * (`1.0`, `2e3`) becomes a double, as Workflows reads it; the `yaml` package would make it `1`.
 */
export function parseWorkflowSource(source: string): ParsedSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const positions = new WeakMap<object, { line: number; column: number }>();
  const lines = source.split('\n');
  const errors = [...new Set(doc.errors.map((e) => describeError(e.message, lineCounter.linePos(e.pos[0]).line, lines)))];
  const convert = (node: unknown): Value => {
    const value = toValue(node, doc, convert);
    const range = (node as Node | null)?.range;
    if (typeof value === 'object' && value !== null && !(value instanceof Double) && range) {
      const pos = lineCounter.linePos(range[0]);
      positions.set(value, { line: pos.line, column: pos.col });
    }
    return value;
  };
  const root = errors.length > 0 ? null : convert(doc.contents);
  return { root, errors, positionOf: (node) => (typeof node === 'object' && node !== null ? positions.get(node) : undefined) };
}

function toValue(node: unknown, doc: Document, convert: (node: unknown) => Value): Value {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return convert(node.resolve(doc));
  if (isSeq(node)) return node.items.map(convert);
  if (isMap(node)) {
    const map: ValueMap = newMap();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      setKey(map, String(key), convert(pair.value));
    }
    return map;
  }
  if (isScalar(node)) return scalarValue(node.value, node.source);
  return null;
}

function scalarValue(value: unknown, source: string | undefined): Value {
  if (typeof value === 'number') {
    const written = source ?? String(value);
    const isDouble = /^[-+]?[0-9]*\.|[0-9][eE][-+]?[0-9]|\.(inf|nan)$/i.test(written) || !Number.isSafeInteger(value);
    return isDouble ? new Double(value) : value;
  }
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  return String(value);
}

// The classic trap, which Google's docs warn about too: `${"a": b}` or `${f(x, {"k": v})}` unquoted
// is a YAML mapping, not a string. Quoting the whole value fixes it.
function describeError(message: string, line: number, lines: string[]): string {
  const text = lines[line - 1] ?? '';
  const hint = /\$\{[^}]*: /.test(text) ? ` (an expression containing ": " must be quoted: '\${...}')` : '';
  return `line ${line}: ${message.split('\n')[0] ?? ''}${hint}`;
}
