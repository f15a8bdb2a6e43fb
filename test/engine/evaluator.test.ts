import test from 'ava';
import { evalExpr, evalValue, tagsOf } from './helpers.ts';

const vars = { m: { a: 1, nested: { b: 'x' } }, l: [10, 20, 30] };

test('a missing map key is a KeyError, by field or by subscript', (t) => {
  t.deepEqual(tagsOf(() => evalValue('m.missing', vars)), ['KeyError']);
  t.deepEqual(tagsOf(() => evalValue('m["missing"]', vars)), ['KeyError']);
  t.deepEqual(tagsOf(() => evalValue('m.nested.c', vars)), ['KeyError']);
});

test('a list index out of range is an IndexError, negative ones included', (t) => {
  t.deepEqual(tagsOf(() => evalValue('l[3]', vars)), ['IndexError']);
  t.deepEqual(tagsOf(() => evalValue('l[-1]', vars)), ['IndexError']);
});

test('indexing with the wrong type, or indexing a scalar, is a TypeError', (t) => {
  t.deepEqual(tagsOf(() => evalValue('l["0"]', vars)), ['TypeError']);
  t.deepEqual(tagsOf(() => evalValue('m.a.b', vars)), ['TypeError']);
  t.deepEqual(tagsOf(() => evalValue('l[1.0]', vars)), ['TypeError']);
});

test('fields, subscripts and indices read nested values', (t) => {
  t.is(evalExpr('m.nested.b', vars), 'x');
  t.is(evalExpr('m["nested"]["b"]', vars), 'x');
  t.is(evalExpr('l[1 + 1]', vars), 30);
});

// Google documents no short-circuit for and/or (Syntax reference → Expressions,
// https://cloud.google.com/workflows/docs/reference/syntax/expressions), so the engine evaluates
// both sides: a workflow whose guard only works when evaluation stops early fails here, not on
// its first deploy.
test('and/or evaluate both sides, so a guard does not protect the access after it', (t) => {
  t.deepEqual(tagsOf(() => evalValue('"missing" in m and m.missing == 1', vars)), ['KeyError']);
  t.deepEqual(tagsOf(() => evalValue('true or m.missing', vars)), ['KeyError']);
  t.is(evalExpr('"a" in m and m.a == 1', { m: { a: 1 } }), true);
});

test('an undefined variable is a KeyError', (t) => {
  t.deepEqual(tagsOf(() => evalValue('nope')), ['KeyError']);
});

test('a map literal is not an expression: maps are YAML values', (t) => {
  t.throws(() => evalValue('{"a": 1}'), { message: /map literals are not supported in expressions/ });
});
