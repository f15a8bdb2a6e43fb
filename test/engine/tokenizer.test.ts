import test from 'ava';
import { ExpressionSyntaxError, tokenize } from '../../workflows/engine/expr/tokenizer.ts';

const kinds = (source: string) => tokenize(source).map((t) => `${t.kind}:${t.text}`);

test('integers and doubles are told apart by their spelling', (t) => {
  const [int, double, exp] = tokenize('42 4.0 1e3');
  t.deepEqual([int?.kind, int?.value], ['int', 42]);
  t.deepEqual([double?.kind, double?.value], ['double', 4]);
  t.deepEqual([exp?.kind, exp?.value], ['double', 1000]);
});

test('strings in either quote decode their escapes', (t) => {
  const [a, b] = tokenize(`"a\\"b\\n\\u00e9" 'it\\'s'`);
  t.is(a?.value, 'a"b\né');
  t.is(b?.value, "it's");
});

test('floor division and comparisons are single tokens', (t) => {
  t.deepEqual(kinds('a//b<=c!=d'), ['name:a', 'op://', 'name:b', 'op:<=', 'name:c', 'op:!=', 'name:d', 'eof:']);
});

test('logical words are keywords in lower or upper case', (t) => {
  t.deepEqual(kinds('not a AND b in c'), ['keyword:not', 'name:a', 'keyword:AND', 'name:b', 'keyword:in', 'name:c', 'eof:']);
});

test('an unterminated string or a stray character is a syntax error with its offset', (t) => {
  t.is(t.throws(() => tokenize('"abc'), { instanceOf: ExpressionSyntaxError }).pos, 0);
  t.is(t.throws(() => tokenize('a ; b'), { instanceOf: ExpressionSyntaxError }).pos, 2);
});

test('an integer literal beyond 64-bit-safe range is refused', (t) => {
  t.throws(() => tokenize('99999999999999999999'), { instanceOf: ExpressionSyntaxError });
});
