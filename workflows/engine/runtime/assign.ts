import { typeError } from '../errors.ts';
import { checkIndex } from '../expr/evaluator.ts';
import { evaluate } from '../expr/evaluator.ts';
import type { AssignTarget } from '../loader/program.ts';
import { hasKey, isMap, newMap, setKey, typeName, type Value } from '../values.ts';
import type { Frame } from './frame.ts';

/**
 * Assigns to `name`, `name.a.b`, `name["k"]` or `name[0]`. Copies each container along the path
 * instead of changing it, so a value stored elsewhere never changes behind its holder's back.
 * Missing intermediate map keys are created; a missing root variable is a KeyError.
 */
export function assign(frame: Frame, target: AssignTarget, value: Value): void {
  if (target.path.length === 0) {
    frame.set(target.root, value);
    return;
  }
  const keys = target.path.map((part) => ('key' in part ? part.key : evaluate(part.index, frame)));
  frame.set(target.root, replaceAt(frame.lookup(target.root), keys, 0, value));
}

function replaceAt(container: Value, keys: Value[], at: number, value: Value): Value {
  const key = keys[at] as Value;
  const last = at === keys.length - 1;
  if (isMap(container)) {
    if (typeof key !== 'string') throw typeError(`map keys are strings, not '${typeName(key)}'`);
    const copy = newMap(Object.entries(container));
    const child = hasKey(container, key) ? (container[key] as Value) : newMap();
    setKey(copy, key, last ? value : replaceAt(child, keys, at + 1, value));
    return copy;
  }
  if (Array.isArray(container)) {
    const index = checkIndex(container, key);
    const copy = container.slice();
    copy[index] = last ? value : replaceAt(container[index] as Value, keys, at + 1, value);
    return copy;
  }
  throw typeError(`cannot assign into a '${typeName(container)}'`);
}
