import { invalidField } from './google-error.ts';
import type { Json } from './sim-types.ts';

/** A compiled list `filter`: true when the resource matches. */
export type ResourcePredicate = (resource: Json) => boolean;

type Token = { kind: 'word' | 'string' | 'op' | 'open' | 'close'; text: string };

const tokenPattern = /\s*(?:(\()|(\))|("(?:[^"\\]|\\.)*")|(!=|=|:|<|>)|([^\s()"=!:<>]+))/y;

/**
 * Compute's list filter, the subset we need: `field = "value"`, `!=`, `field:*` (has),
 * `eq`/`ne` (regular expression), `AND`, `OR`, `NOT`, parentheses, and adjacent parenthesised
 * terms meaning AND. Fields are dotted paths (`labels.managed-by`, `scheduling.provisioningModel`);
 * `*` in a quoted value is a wildcard. Anything else is a 400, as on the real API.
 */
export function compileFilter(filter: string | undefined): ResourcePredicate {
  if (filter === undefined || filter.trim() === '') return () => true;
  const tokens = tokenize(filter);
  const parser = new Parser(tokens, filter);
  const predicate = parser.parseOr();
  if (parser.position !== tokens.length) throw badFilter(filter);
  return predicate;
}

function badFilter(filter: string): Error {
  return invalidField('filter', filter, 'Invalid list filter expression.');
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < filter.length && filter.slice(tokenPattern.lastIndex).trim() !== '') {
    const match = tokenPattern.exec(filter);
    if (!match) throw badFilter(filter);
    if (match[1]) tokens.push({ kind: 'open', text: '(' });
    else if (match[2]) tokens.push({ kind: 'close', text: ')' });
    else if (match[3]) tokens.push({ kind: 'string', text: match[3].slice(1, -1).replace(/\\(.)/g, '$1') });
    else if (match[4]) tokens.push({ kind: 'op', text: match[4] });
    else tokens.push({ kind: 'word', text: match[5] ?? '' });
  }
  return tokens;
}

class Parser {
  position = 0;
  private readonly tokens: Token[];
  private readonly source: string;
  constructor(tokens: Token[], source: string) {
    this.tokens = tokens;
    this.source = source;
  }

  parseOr(): ResourcePredicate {
    const terms = [this.parseAnd()];
    while (this.peekWord('OR')) {
      this.position += 1;
      terms.push(this.parseAnd());
    }
    return (resource) => terms.some((term) => term(resource));
  }

  private parseAnd(): ResourcePredicate {
    const terms = [this.parseUnary()];
    for (;;) {
      if (this.peekWord('AND')) this.position += 1;
      else if (this.tokens[this.position]?.kind !== 'open' && !this.peekWord('NOT')) break;
      terms.push(this.parseUnary());
    }
    return (resource) => terms.every((term) => term(resource));
  }

  private parseUnary(): ResourcePredicate {
    if (this.peekWord('NOT')) {
      this.position += 1;
      const inner = this.parseUnary();
      return (resource) => !inner(resource);
    }
    if (this.tokens[this.position]?.kind === 'open') {
      this.position += 1;
      const inner = this.parseOr();
      if (this.next()?.kind !== 'close') throw badFilter(this.source);
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): ResourcePredicate {
    const field = this.next();
    const op = this.next();
    const value = this.next();
    if (field?.kind !== 'word' || !op || !value || (value.kind !== 'word' && value.kind !== 'string')) throw badFilter(this.source);
    const read = (resource: Json): unknown => field.text.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Json)[key] : undefined), resource);
    if (op.kind === 'op' && op.text === ':' && value.text === '*') return (resource) => read(resource) !== undefined;
    if (op.kind === 'op' && (op.text === '=' || op.text === '!=')) {
      const pattern = globPattern(value.text);
      const equal = (resource: Json): boolean => matches(pattern, read(resource));
      return op.text === '=' ? equal : (resource) => !equal(resource);
    }
    if (op.kind === 'word' && (op.text === 'eq' || op.text === 'ne')) {
      const pattern = regexOf(value.text, this.source);
      const equal = (resource: Json): boolean => matches(pattern, read(resource));
      return op.text === 'eq' ? equal : (resource) => !equal(resource);
    }
    throw badFilter(this.source);
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.position];
    return token?.kind === 'word' && token.text === word;
  }

  private next(): Token | undefined {
    const token = this.tokens[this.position];
    this.position += 1;
    return token;
  }
}

function matches(pattern: RegExp, value: unknown): boolean {
  return value !== undefined && value !== null && typeof value !== 'object' && pattern.test(String(value));
}

function regexOf(source: string, filter: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    throw badFilter(filter);
  }
}

function globPattern(value: string): RegExp {
  const escaped = value.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}
