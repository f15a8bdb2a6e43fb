/**
 * The interpreter's steps, lists, loops, tries and calls are generators, not async functions: an
 * execution parked in a wait is then one chain of suspended generators under a single `await`
 * (in `drive`), instead of a promise, a reaction and two resume closures per nesting level. With
 * thousands of executions waiting on callbacks, that is most of what each one holds.
 *
 * A generator yields the promise of an effect (HTTP, sleep, callback) and is resumed with its
 * value, or has its rejection thrown in, so `try`/`catch`/`finally` read as with `await`:
 * `const value = (yield promise) as T`. Nested levels are entered with `yield*`.
 */
export type Interpreting<T> = Generator<Promise<unknown>, T, unknown>;

/** Runs an interpreter generator to its end, awaiting each effect it yields. */
export async function drive<T>(interpreting: Interpreting<T>): Promise<T> {
  let next = interpreting.next();
  while (!next.done) {
    let outcome: unknown;
    try {
      outcome = await next.value;
    } catch (error) {
      next = interpreting.throw(error);
      continue;
    }
    next = interpreting.next(outcome);
  }
  return next.value;
}
