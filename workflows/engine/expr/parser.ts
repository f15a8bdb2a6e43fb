import { Double } from '../values.ts';
import type { BinaryOp, Expr } from './ast.ts';
import { dottedName } from './ast.ts';
import { describe, TokenStream } from './token-stream.ts';
import { ExpressionSyntaxError, tokenize, type Token } from './tokenizer.ts';

/**
 * Recursive descent over Google's precedence table, loosest first: `or`, `and`, comparison /
 * equality / `in`, `+ -`, `* / // %`, then the prefix `not` and unary minus, then `.`, `[]` and
 * calls. Binary operators associate to the left.
 */
export function parseExpression(source: string): Expr {
  const parser = new Parser(tokenize(source));
  const expr = parser.parseOr();
  parser.expectEnd();
  return expr;
}

/**
 * Cloud Workflows' expression grammar lists numbers, strings, operators, variables, field and index
 * access, lists and function calls, and no map literal ("Supported elements",
 * https://cloud.google.com/workflows/docs/reference/syntax/expressions): the service refuses a
 * `{` inside `${...}` at deploy time, so the engine refuses it at load time.
 */
const mapLiteralRefused = 'map literals are not supported in expressions: build the map as a YAML value in "assign" or "args"';

const comparisonOps = new Set(['==', '!=', '<', '<=', '>', '>=']);

class Parser extends TokenStream {
  parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isKeyword(this.peek(), 'or')) {
      this.take();
      left = { k: 'binary', op: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseComparison();
    while (this.isKeyword(this.peek(), 'and')) {
      this.take();
      left = { k: 'binary', op: 'and', left, right: this.parseComparison() };
    }
    return left;
  }

  private parseComparison(): Expr {
    let left = this.parseAdditive();
    for (;;) {
      const token = this.peek();
      const isIn = token.kind === 'keyword' && token.text === 'in';
      if (!isIn && !(token.kind === 'op' && comparisonOps.has(token.text))) return left;
      this.take();
      left = { k: 'binary', op: (isIn ? 'in' : token.text) as BinaryOp, left, right: this.parseAdditive() };
    }
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while (this.isOp(this.peek(), '+') || this.isOp(this.peek(), '-')) {
      const op = this.take().text as BinaryOp;
      left = { k: 'binary', op, left, right: this.parseMultiplicative() };
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    while (this.peek().kind === 'op' && ['*', '/', '//', '%'].includes(this.peek().text)) {
      const op = this.take().text as BinaryOp;
      left = { k: 'binary', op, left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Expr {
    const token = this.peek();
    if (this.isKeyword(token, 'not')) {
      this.take();
      return { k: 'unary', op: 'not', operand: this.parseUnary() };
    }
    if (this.isOp(token, '-')) {
      this.take();
      return { k: 'unary', op: '-', operand: this.parseUnary() };
    }
    return this.parsePostfix();
  }

  private parsePostfix(): Expr {
    let expr = this.parsePrimary();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'op') return expr;
      if (token.text === '.') {
        this.take();
        const name = this.take();
        if (name.kind !== 'name' && name.kind !== 'keyword') {
          throw new ExpressionSyntaxError(`expected a field name after "." but found ${describe(name)}`, name.pos);
        }
        expr = { k: 'member', object: expr, name: name.text };
      } else if (token.text === '[') {
        this.take();
        const index = this.parseOr();
        this.expectOp(']');
        expr = { k: 'index', object: expr, index };
      } else if (token.text === '(') {
        expr = this.parseCall(expr, token);
      } else {
        return expr;
      }
    }
  }

  private parseCall(callee: Expr, open: Token): Expr {
    const path = dottedName(callee);
    if (!path) throw new ExpressionSyntaxError('only named functions can be called', open.pos);
    this.take();
    const args = this.parseItems(')');
    return { k: 'call', name: path.join('.'), args, pos: open.pos };
  }

  private parseItems(close: string): Expr[] {
    const items: Expr[] = [];
    if (this.isOp(this.peek(), close)) {
      this.take();
      return items;
    }
    for (;;) {
      items.push(this.parseOr());
      const sep = this.take();
      if (this.isOp(sep, close)) return items;
      if (sep.kind !== 'op' || sep.text !== ',') {
        throw new ExpressionSyntaxError(`expected "," or "${close}" but found ${describe(sep)}`, sep.pos);
      }
    }
  }

  private parsePrimary(): Expr {
    const token = this.take();
    switch (token.kind) {
      case 'int':
        return { k: 'literal', value: token.value as number };
      case 'double':
        return { k: 'literal', value: new Double(token.value as number) };
      case 'string':
        return { k: 'literal', value: token.value as string };
      case 'name':
        return { k: 'var', name: token.text };
      case 'keyword':
        return this.keywordLiteral(token);
      case 'op':
        return this.bracketed(token);
      default:
        throw new ExpressionSyntaxError('unexpected end of expression', token.pos);
    }
  }

  private keywordLiteral(token: Token): Expr {
    const word = token.text.toLowerCase();
    if (word === 'true' || word === 'false') return { k: 'literal', value: word === 'true' };
    if (token.text === 'null') return { k: 'literal', value: null };
    throw new ExpressionSyntaxError(`unexpected ${describe(token)}`, token.pos);
  }

  private bracketed(token: Token): Expr {
    if (token.text === '(') {
      const inner = this.parseOr();
      this.expectOp(')');
      return inner;
    }
    if (token.text === '[') return { k: 'list', items: this.parseItems(']') };
    if (token.text === '{') throw new ExpressionSyntaxError(mapLiteralRefused, token.pos);
    throw new ExpressionSyntaxError(`unexpected ${describe(token)}`, token.pos);
  }
}
