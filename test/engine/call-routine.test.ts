import test from 'ava';
import { runWorkflow } from './helpers.ts';

test('a subworkflow gets its args by name, defaults for the rest, and returns into result', async (t) => {
  const { result } = await runWorkflow(`
main:
  steps:
    - with_default:
        call: scale
        args: { x: 2 }
        result: a
    - overriding:
        call: scale
        args: { x: 2, factor: 10 }
        result: b
    - done:
        return: \${[a, b]}
scale:
  params: [x, factor: 5]
  steps:
    - multiply:
        return: \${x * factor}
`);
  t.deepEqual(result, [10, 20]);
});

test('next: end inside a subworkflow returns null from it and the caller goes on', async (t) => {
  const { result } = await runWorkflow(`
main:
  steps:
    - call_it:
        call: stops_early
        result: value
    - after:
        return: \${[value, "caller continued"]}
stops_early:
  steps:
    - stop:
        next: end
    - never:
        return: not reached
`);
  t.deepEqual(result, [null, 'caller continued']);
});

test('a subworkflow sees only its own variables: naming its caller\'s fails the deploy', async (t) => {
  const error = await t.throwsAsync(runWorkflow(`
main:
  steps:
    - init:
        assign:
          - secret: 1
    - call_it:
        call: peek
peek:
  steps:
    - look:
        return: \${secret}
`));
  t.regex(String(error?.message), /step "look": symbol 'secret' not found/);
});

test('an uncaught error fails the execution with the error, its step and the call stack', async (t) => {
  const { execution, error } = await runWorkflow(`
main:
  steps:
    - prepare:
        assign:
          - x: 1
    - create_vm:
        call: insert
insert:
  steps:
    - check:
        assign:
          - y: 2
    - boom:
        raise:
          message: quota exceeded
          tags: [QuotaError]
`);
  t.is(execution.state, 'FAILED');
  t.deepEqual(error, { message: 'quota exceeded', tags: ['QuotaError'] });
  t.regex(execution.error?.context ?? '', /in step "boom", routine "insert", line: 14\nin step "create_vm", routine "main", line: 7/);
  t.deepEqual(execution.error?.stackTrace.elements.map((e) => [e.step, e.routine, e.position.line]), [
    ['boom', 'insert', '14'],
    ['create_vm', 'main', '7'],
  ]);
});

test('unbounded recursion stops with a RecursionError', async (t) => {
  const { error } = await runWorkflow(`
main:
  steps:
    - go:
        call: again
again:
  steps:
    - deeper:
        call: again
`);
  t.like(error, { tags: ['RecursionError'] });
});

test('a standard-library function can be a call step with named args', async (t) => {
  const { result } = await runWorkflow(`
- split:
    call: text.split
    args:
      source: a/b/c
      separator: /
    result: parts
- done:
    return: \${parts}
`);
  t.deepEqual(result, ['a', 'b', 'c']);
});
