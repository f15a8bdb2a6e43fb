import test from 'ava';
import { runWorkflow } from './helpers.ts';

test('a switch with no matching condition falls through to the next step', async (t) => {
  const { result } = await runWorkflow(`
- init:
    assign:
      - x: 5
- decide:
    switch:
      - condition: \${x > 10}
        return: big
      - condition: \${x < 0}
        return: negative
- after:
    return: fell through
`);
  t.is(result, 'fell through');
});

test('a matching switch condition can assign, run steps and jump', async (t) => {
  const { result } = await runWorkflow(`
- decide:
    switch:
      - condition: true
        assign:
          - x: 1
        steps:
          - inner:
              assign:
                - x: \${x + 1}
        next: done
- skipped:
    return: skipped
- done:
    return: \${x}
`);
  t.is(result, 2);
});

test('a switch condition that is not a boolean is a TypeError', async (t) => {
  const { execution, error } = await runWorkflow(`
- decide:
    switch:
      - condition: \${1}
        return: one
`);
  t.is(execution.state, 'FAILED');
  t.like(error, { tags: ['TypeError'] });
});

test('next jumps forward and back; next: end ends the workflow with a null result', async (t) => {
  const { result: looped } = await runWorkflow(`
- init:
    assign:
      - n: 0
- again:
    assign:
      - n: \${n + 1}
- check:
    switch:
      - condition: \${n < 3}
        next: again
- done:
    return: \${n}
`);
  t.is(looped, 3);
  const { execution } = await runWorkflow('- stop:\n    next: end\n- never:\n    return: 1\n');
  t.is(execution.result, 'null');
});

test('assignment reaches into maps and lists without changing other holders of the value', async (t) => {
  const { result } = await runWorkflow(`
- init:
    assign:
      - original: {a: {b: 1}, l: [1, 2]}
      - copy: \${original}
      - copy.a.b: 2
      - copy["a"]["c"]: 3
      - copy.l[0]: 9
      - copy.new.deep: true
- done:
    return: \${[original, copy]}
`);
  t.deepEqual(result, [
    { a: { b: 1 }, l: [1, 2] },
    { a: { b: 2, c: 3 }, l: [9, 2], new: { deep: true } },
  ]);
});

test('assigning past the end of a list is an IndexError', async (t) => {
  const { error } = await runWorkflow('- a:\n    assign:\n      - l: [1]\n      - l[1]: 2\n');
  t.like(error, { tags: ['IndexError'] });
});

test('nested steps run in order and their return ends the routine', async (t) => {
  const { result } = await runWorkflow(`
- group:
    steps:
      - one:
          assign:
            - x: 1
      - two:
          return: \${x + 1}
- never:
    return: 0
`);
  t.is(result, 2);
});

test('main receives the execution argument as its parameter', async (t) => {
  const { result } = await runWorkflow(`
main:
  params: [args]
  steps:
    - r:
        return: \${args.job.id * 2}
`, { argument: { job: { id: 21 } } });
  t.is(result, 42);
});

test('sys.log sends its text with the severity to the log hook', async (t) => {
  const { execution } = await runWorkflow(`
- say:
    call: sys.log
    args:
      text: hello
      severity: WARNING
`);
  t.is(execution.state, 'SUCCEEDED');
});

test('keys such as __proto__ and constructor are plain data', async (t) => {
  const { result } = await runWorkflow(`
- init:
    assign:
      - m: {}
      - m["__proto__"]: 1
      - m["constructor"]: 2
- done:
    return: \${[m, keys(m), "toString" in m, map.get(m, "toString")]}
`);
  t.deepEqual(result, [JSON.parse('{"__proto__": 1, "constructor": 2}'), ['__proto__', 'constructor'], false, null]);
});
