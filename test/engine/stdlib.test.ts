import test from 'ava';
import { Double } from '../../workflows/engine/values.ts';
import { evalExpr, evalValue, tagsOf } from './helpers.ts';

const vars = { m: { a: 1, nested: { b: 'x' }, empty: null } };

test('map.get gives null for a missing key or path, where . would raise', (t) => {
  t.is(evalExpr('map.get(m, "missing")', vars), null);
  t.is(evalExpr('map.get(m, ["nested", "b"])', vars), 'x');
  t.is(evalExpr('map.get(m, ["nested", "zz", "b"])', vars), null);
  t.is(evalExpr('map.get(null, "a")'), null);
});

test('default gives the fallback for null and the value otherwise', (t) => {
  t.is(evalExpr('default(map.get(m, "missing"), "fb")', vars), 'fb');
  t.is(evalExpr('default(m.empty, 5)', vars), 5);
  t.is(evalExpr('default(m.a, 5)', vars), 1);
});

test('default does not hide a KeyError raised by its own argument', (t) => {
  t.deepEqual(tagsOf(() => evalValue('default(m.missing, 1)', vars)), ['KeyError']);
});

test('len counts list items, map entries and characters', (t) => {
  t.deepEqual(evalExpr('[len([1, 2]), len(m), len("héllo")]', { m: { a: 1 } }), [2, 1, 5]);
  t.deepEqual(tagsOf(() => evalValue('len(1)')), ['TypeError']);
});

test('keys lists a map’s keys', (t) => {
  t.deepEqual(evalExpr('keys(m)', vars), ['a', 'nested', 'empty']);
});

test('conversions: int truncates, double widens, string prints, bool parses', (t) => {
  t.deepEqual(evalExpr('[int("42"), int(2.7), int(-2.7), string(1.5), string(true), bool("TRUE")]'), [42, 2, -2, '1.5', 'true', true]);
  t.true(evalValue('double(2)') instanceof Double);
  t.deepEqual(tagsOf(() => evalValue('int("4x")')), ['ValueError']);
  t.deepEqual(tagsOf(() => evalValue('string([1])')), ['TypeError']);
});

test('get_type names the Workflows types', (t) => {
  t.deepEqual(evalExpr('[get_type(1), get_type(1.5), get_type("s"), get_type(null), get_type([]), get_type(m), get_type(true)]', { m: {} }), [
    'integer', 'double', 'string', 'null', 'list', 'map', 'boolean',
  ]);
});

test('text functions: case, split, replace, substring, find, regex', (t) => {
  t.is(evalExpr('text.to_lower("AbC")'), 'abc');
  t.is(evalExpr('text.to_upper("AbC")'), 'ABC');
  t.deepEqual(evalExpr('text.split("a,b,,c", ",")'), ['a', 'b', '', 'c']);
  t.is(evalExpr('text.replace_all("a-b-c", "-", "+")'), 'a+b+c');
  t.is(evalExpr('text.replace_all_regex("a1b22", "[0-9]+", "#")'), 'a#b#');
  t.is(evalExpr('text.substring("héllo", 1, 3)'), 'él');
  t.deepEqual(evalExpr('text.find_all("abab", "b")'), [{ index: 1, match: 'b' }, { index: 3, match: 'b' }]);
  t.is(evalExpr('text.match_regex("runner-42", "^runner-[0-9]+$")'), true);
  t.deepEqual(tagsOf(() => evalValue('text.match_regex("a", "(")')), ['ValueError']);
});

test('json encodes to a string and decodes back, integers and doubles kept apart', (t) => {
  t.is(evalExpr('json.encode_to_string(m)', { m: { a: [1, 2.5, null] } }), '{"a":[1,2.5,null]}');
  t.deepEqual(evalExpr('json.decode("{\\"a\\": [1, 2.5]}")'), { a: [1, 2.5] });
  t.true((evalValue('json.decode("[2.5]")') as unknown[])[0] instanceof Double);
  t.deepEqual(tagsOf(() => evalValue('json.decode("{")')), ['ValueError']);
});

test('list.concat appends and map.merge overlays, neither changing its input', (t) => {
  t.deepEqual(evalExpr('[list.concat(l, 3), l]', { l: [1, 2] }), [[1, 2, 3], [1, 2]]);
  t.deepEqual(evalExpr('map.merge(m, n)', { m: { a: 1, b: 1 }, n: { b: 2 } }), { a: 1, b: 2 });
  t.deepEqual(evalExpr('map.delete(m, "a")', { m: { a: 1, b: 1 } }), { b: 1 });
});

test('math.min, math.max and math.abs keep the type of what they return', (t) => {
  t.deepEqual(evalExpr('[math.min(3, 1.5), math.max(3, 1.5), math.abs(-2)]'), [1.5, 3, 2]);
});

test('time.format prints seconds since the epoch as UTC ISO 8601', (t) => {
  t.is(evalExpr('time.format(0)'), '1970-01-01T00:00:00.000Z');
  t.deepEqual(tagsOf(() => evalValue('time.format(0, "Europe/Paris")')), ['ValueError']);
});

test('sys.now gives seconds as a double', (t) => {
  const now = evalValue('sys.now()');
  t.true(now instanceof Double);
  t.is((now as Double).value, Date.UTC(2025, 0, 1) / 1000);
});

test('a function called with too many or too few arguments is a TypeError', (t) => {
  t.deepEqual(tagsOf(() => evalValue('len()')), ['TypeError']);
  t.deepEqual(tagsOf(() => evalValue('text.split("a")')), ['TypeError']);
});
