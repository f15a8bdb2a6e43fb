/** Splits the text between `${` and `}` into tokens. Positions are 0-based offsets into it. */
export type TokenKind = 'int' | 'double' | 'string' | 'name' | 'keyword' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** The decoded value of a string literal, or the number of a numeric one. */
  value?: string | number;
  pos: number;
}

export class ExpressionSyntaxError extends Error {
  override readonly name = 'ExpressionSyntaxError';
  readonly pos: number;
  constructor(message: string, pos: number) {
    super(`${message} at offset ${pos}`);
    this.pos = pos;
  }
}

// Logical operators may be lower- or upper-case but not mixed, as are the boolean literals.
const keywords = new Set([
  'and', 'AND', 'or', 'OR', 'not', 'NOT', 'in',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null',
]);
const twoCharOps = new Set(['//', '==', '!=', '<=', '>=']);
const oneCharOps = new Set(['+', '-', '*', '/', '%', '<', '>', '(', ')', '[', ']', '{', '}', ',', '.', ':']);
const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '\\': '\\', '"': '"', "'": "'", '/': '/' };

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < source.length) {
    const ch = source[pos] as string;
    if (/\s/.test(ch)) {
      pos++;
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(source[pos + 1] ?? ''))) {
      pos = readNumber(source, pos, tokens);
    } else if (ch === '"' || ch === "'") {
      pos = readString(source, pos, tokens);
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(pos)) as RegExpExecArray;
      const text = match[0];
      tokens.push({ kind: keywords.has(text) ? 'keyword' : 'name', text, pos });
      pos += text.length;
    } else if (twoCharOps.has(source.slice(pos, pos + 2))) {
      tokens.push({ kind: 'op', text: source.slice(pos, pos + 2), pos });
      pos += 2;
    } else if (oneCharOps.has(ch)) {
      tokens.push({ kind: 'op', text: ch, pos });
      pos++;
    } else {
      throw new ExpressionSyntaxError(`unexpected character ${JSON.stringify(ch)}`, pos);
    }
  }
  tokens.push({ kind: 'eof', text: '', pos });
  return tokens;
}

function readNumber(source: string, start: number, tokens: Token[]): number {
  const match = /^(?:[0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?/.exec(source.slice(start)) as RegExpExecArray;
  const text = match[0];
  const isDouble = text.includes('.') || /[eE]/.test(text);
  const value = Number(text);
  if (!isDouble && !Number.isSafeInteger(value)) {
    throw new ExpressionSyntaxError(`integer literal ${text} is out of range`, start);
  }
  tokens.push({ kind: isDouble ? 'double' : 'int', text, value, pos: start });
  return start + text.length;
}

function readString(source: string, start: number, tokens: Token[]): number {
  const quote = source[start];
  let pos = start + 1;
  let value = '';
  while (pos < source.length && source[pos] !== quote) {
    const ch = source[pos] as string;
    if (ch !== '\\') {
      value += ch;
      pos++;
      continue;
    }
    const next = source[pos + 1] ?? '';
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(pos + 2, pos + 6))) {
      value += String.fromCharCode(parseInt(source.slice(pos + 2, pos + 6), 16));
      pos += 6;
    } else if (escapes[next] !== undefined) {
      value += escapes[next];
      pos += 2;
    } else {
      throw new ExpressionSyntaxError(`unknown escape \\${next}`, pos);
    }
  }
  if (pos >= source.length) throw new ExpressionSyntaxError('unterminated string', start);
  tokens.push({ kind: 'string', text: source.slice(start, pos + 1), value, pos: start });
  return pos + 1;
}
