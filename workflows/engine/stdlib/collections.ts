import { typeError } from '../errors.ts';
import { hasKey, isMap, newMap, setKey, typeName, type Value, type ValueMap } from '../values.ts';
import { argList, argMap, argString, spec, type FunctionSpec } from './function-spec.ts';

/** The `map` and `list` modules. Every function returns a new value and leaves its input as is. */
export const collectionFunctions: Record<string, FunctionSpec> = {
  'map.get': spec(['map', 'keys'], ([map, keys]) => mapGet(map ?? null, keys ?? null)),
  'map.merge': spec(['first', 'second'], ([a, b]) =>
    newMap([...Object.entries(argMap('map.merge', a)), ...Object.entries(argMap('map.merge', b))]),
  ),
  'map.merge_nested': spec(['first', 'second'], ([a, b]) => mergeNested(argMap('map.merge_nested', a), argMap('map.merge_nested', b))),
  'map.delete': spec(['map', 'key'], ([map, key]) => {
    const copy = newMap(Object.entries(argMap('map.delete', map)));
    delete copy[argString('map.delete', key)];
    return copy;
  }),
  'list.concat': spec(['objs', 'val'], ([list, value]) => [...argList('list.concat', list), value ?? null]),
  'list.prepend': spec(['objs', 'val'], ([list, value]) => [value ?? null, ...argList('list.prepend', list)]),
};

/** Null instead of a KeyError when a key (or a key of the path) is missing. */
function mapGet(map: Value, keys: Value): Value {
  const path = typeof keys === 'string' ? [keys] : keys;
  if (!Array.isArray(path)) throw typeError(`map.get: keys must be a string or a list, not '${typeName(keys)}'`);
  if (map !== null && !isMap(map)) throw typeError(`map.get: expected a map, got '${typeName(map)}'`);
  let current: Value = map;
  for (const key of path) {
    if (typeof key !== 'string') throw typeError(`map.get: keys must be strings, not '${typeName(key)}'`);
    if (!isMap(current) || !hasKey(current, key)) return null;
    current = current[key] as Value;
  }
  return current;
}

function mergeNested(first: ValueMap, second: ValueMap): ValueMap {
  const out = newMap(Object.entries(first));
  for (const key of Object.keys(second)) {
    const mine = hasKey(out, key) ? out[key] : undefined;
    const theirs = second[key] as Value;
    setKey(out, key, mine !== undefined && isMap(mine) && isMap(theirs) ? mergeNested(mine, theirs) : theirs);
  }
  return out;
}
