import test from 'ava';
import { parseExpression } from '../../workflows/engine/expr/parser.ts';
import { ExpressionSyntaxError } from '../../workflows/engine/expr/tokenizer.ts';
import { evalExpr } from './helpers.ts';

test('multiplication binds tighter than addition, parentheses tighter still', (t) => {
  t.is(evalExpr('2 + 3 * 4'), 14);
  t.is(evalExpr('(2 + 3) * 4'), 20);
});

test('binary operators associate to the left', (t) => {
  t.is(evalExpr('10 - 4 - 3'), 3);
  t.is(evalExpr('100 // 10 // 3'), 3);
});

test('comparison binds looser than arithmetic and tighter than and/or', (t) => {
  t.is(evalExpr('1 + 1 == 2 and 3 > 2 or false'), true);
  t.is(evalExpr('false and true or true'), true);
});

test('unary minus applies before floor division', (t) => {
  t.is(evalExpr('-7 // 2'), -4);
});

test('field, index and call postfixes chain', (t) => {
  t.is(evalExpr('a.b[1]["c"]', { a: { b: [0, { c: 'deep' }] } }), 'deep');
  t.is(evalExpr('map.get(a, "k")', { a: { k: 'v' } }), 'v');
});

test('list literals nest and may hold expressions', (t) => {
  t.deepEqual(evalExpr('[1, [x, x + 1], []]', { x: 1 }), [1, [1, 2], []]);
});

// "Supported elements" (https://cloud.google.com/workflows/docs/reference/syntax/expressions)
// lists no map literal; the service refuses one at deploy time.
test('a map literal is refused wherever it stands, naming the fix', (t) => {
  for (const source of ['{}', '{"k": 1}', 'map.merge(job, {"runnerName": x})', 'default(x, {})']) {
    t.throws(() => parseExpression(source), { instanceOf: ExpressionSyntaxError, message: /map literals are not supported in expressions: build the map as a YAML value/ }, source);
  }
});

test('boolean literals accept the documented cases', (t) => {
  t.deepEqual(evalExpr('[true, True, TRUE, false, False, FALSE, null]'), [true, true, true, false, false, false, null]);
});

test('a dotted call name is kept whole', (t) => {
  const expr = parseExpression('text.to_upper(s)');
  t.like(expr, { k: 'call', name: 'text.to_upper' });
});

test('malformed expressions are syntax errors', (t) => {
  for (const source of ['1 +', '(1', '[1, 2', '{"a" 1}', 'a.', '1 2', '(a + b)(1)']) {
    t.throws(() => parseExpression(source), { instanceOf: ExpressionSyntaxError }, source);
  }
});
