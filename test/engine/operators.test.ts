import test from 'ava';
import { Double } from '../../workflows/engine/values.ts';
import { evalExpr, evalValue, tagsOf } from './helpers.ts';

test('/ always gives a double, even between integers that divide evenly', (t) => {
  const value = evalValue('4 / 2');
  t.true(value instanceof Double);
  t.is((value as Double).value, 2);
  t.is(evalExpr('7 / 2'), 3.5);
});

test('// floors, negatives included, and keeps integers integers', (t) => {
  t.is(evalValue('7 // 2'), 3);
  t.is(evalValue('-7 // 2'), -4);
  t.is(evalValue('7 // -2'), -4);
  const double = evalValue('7.0 // 2');
  t.true(double instanceof Double);
  t.is((double as Double).value, 3);
});

test('% takes the sign of the divisor, consistent with //', (t) => {
  t.is(evalExpr('-7 % 2'), 1);
  t.is(evalExpr('7 % -2'), -1);
  t.is(evalExpr('7 % 3'), 1);
});

test('integer with integer stays an integer; any double operand makes a double', (t) => {
  t.is(evalValue('2 + 3'), 5);
  t.is(evalValue('2 * 3'), 6);
  t.true(evalValue('2 + 3.0') instanceof Double);
  t.is(evalExpr('2 + 0.5'), 2.5);
});

test('dividing by zero raises ZeroDivisionError', (t) => {
  for (const source of ['1 / 0', '1 // 0', '1 % 0']) t.deepEqual(tagsOf(() => evalValue(source)), ['ZeroDivisionError'], source);
});

test('"a" + 1 is a TypeError; string + string concatenates', (t) => {
  t.deepEqual(tagsOf(() => evalValue('"a" + 1')), ['TypeError']);
  t.is(evalExpr('"a" + "b"'), 'ab');
});

test('+ does not concatenate lists: that is list.concat', (t) => {
  t.deepEqual(tagsOf(() => evalValue('[1] + [2]')), ['TypeError']);
  t.deepEqual(evalExpr('list.concat([1], 2)'), [1, 2]);
});

test('in finds a value in a list and a key in a map', (t) => {
  t.is(evalExpr('2 in [1, 2, 3]'), true);
  t.is(evalExpr('m in [m]', { m: { a: 1 } }), true);
  t.is(evalExpr('"a" in m', { m: { a: 1 } }), true);
});

test('in on a map with a non-string, or on a scalar, is a TypeError', (t) => {
  t.deepEqual(tagsOf(() => evalValue('1 in m', { m: { '1': 1 } })), ['TypeError']);
  t.deepEqual(tagsOf(() => evalValue('"a" in "abc"')), ['TypeError']);
});

test('== compares deeply and across integer and double; unlike types are just unequal', (t) => {
  t.is(evalExpr('1 == 1.0'), true);
  t.is(evalExpr('[1, m] == [1, n]', { m: { a: 'b' }, n: { a: 'b' } }), true);
  t.is(evalExpr('1 == "1"'), false);
  t.is(evalExpr('null != 0'), true);
});

test('ordering works on numbers and on strings, and is a TypeError across them', (t) => {
  t.is(evalExpr('"abc" < "abd"'), true);
  t.is(evalExpr('2 >= 1.5'), true);
  t.deepEqual(tagsOf(() => evalValue('1 < "2"')), ['TypeError']);
});

test('and/or/not need booleans', (t) => {
  t.is(evalExpr('not false'), true);
  t.deepEqual(tagsOf(() => evalValue('1 and true')), ['TypeError']);
  t.deepEqual(tagsOf(() => evalValue('not 0')), ['TypeError']);
});
