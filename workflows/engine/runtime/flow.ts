import type { Value } from '../values.ts';

/** How a step list ended: ran off its end, or a jump, return, break, continue or `end`. */
export type Flow =
  | { k: 'normal' }
  | { k: 'jump'; target: string }
  | { k: 'return'; value: Value }
  | { k: 'break' }
  | { k: 'continue' }
  | { k: 'end' };

export const normal: Flow = { k: 'normal' };
const end: Flow = { k: 'end' };
const breakFlow: Flow = { k: 'break' };
const continueFlow: Flow = { k: 'continue' };

/** The flow a `next:` value asks for. */
export function flowOfNext(next: string): Flow {
  if (next === 'end') return end;
  if (next === 'break') return breakFlow;
  if (next === 'continue') return continueFlow;
  return { k: 'jump', target: next };
}
