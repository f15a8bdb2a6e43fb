import { ExpressionSyntaxError, type Token } from './tokenizer.ts';

/** A cursor over the tokens of one expression, with the checks every grammar rule needs. */
export class TokenStream {
  private pos = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  protected peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  protected take(): Token {
    return this.tokens[this.pos++] as Token;
  }

  /** Keywords compare case-insensitively: `and`/`AND` are the same operator. */
  protected isKeyword(token: Token, word: string): boolean {
    return token.kind === 'keyword' && token.text.toLowerCase() === word;
  }

  protected isOp(token: Token, text: string): boolean {
    return token.kind === 'op' && token.text === text;
  }

  protected expectOp(text: string): Token {
    const token = this.take();
    if (!this.isOp(token, text)) throw new ExpressionSyntaxError(`expected "${text}" but found ${describe(token)}`, token.pos);
    return token;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'eof') throw new ExpressionSyntaxError(`unexpected ${describe(token)}`, token.pos);
  }
}

export function describe(token: Token): string {
  return token.kind === 'eof' ? 'end of expression' : `"${token.text}"`;
}
