import test from 'ava';
import { WorkflowLoadError } from '../../workflows/engine/errors.ts';
import { runWorkflow } from './helpers.ts';

test('for iterates a list with its index', async (t) => {
  const { result } = await runWorkflow(`
- init:
    assign:
      - seen: []
- loop:
    for:
      value: v
      index: i
      in: [a, b, c]
      steps:
        - add:
            assign:
              - seen: \${list.concat(seen, string(i) + v)}
- done:
    return: \${seen}
`);
  t.deepEqual(result, ['0a', '1b', '2c']);
});

test('a range is inclusive at both ends', async (t) => {
  const { result } = await runWorkflow(`
- init:
    assign:
      - sum: 0
- loop:
    for:
      value: n
      range: [1, 4]
      steps:
        - add:
            assign:
              - sum: \${sum + n}
- done:
    return: \${sum}
`);
  t.is(result, 10);
});

test('variables first created in the body vanish after the loop; earlier ones keep their changes', async (t) => {
  const { result } = await runWorkflow(`
- init:
    assign:
      - outer: 0
- loop:
    for:
      value: v
      in: [1, 2]
      steps:
        - touch:
            assign:
              - outer: \${outer + v}
              - inner: \${v}
- done:
    return: \${outer}
`);
  t.is(result, 3);
  const error = await t.throwsAsync(runWorkflow(`
- loop:
    for:
      value: v
      in: [1]
      steps:
        - touch:
            assign:
              - inner: 1
- after:
    return: \${inner}
`));
  // Using a loop's local outside it fails the deploy on Cloud Workflows (Syntax reference →
  // Variables → Variable scope, https://cloud.google.com/workflows/docs/reference/syntax/variables).
  t.true(error instanceof WorkflowLoadError);
  t.regex(String(error?.message), /step "after": symbol 'inner' not found here: it is local to the for loop or except block of step "loop"/);
});

test('the loop variable does not outlive the loop', async (t) => {
  const error = await t.throwsAsync(runWorkflow(`
- loop:
    for:
      value: v
      in: [1]
      steps:
        - noop:
            assign:
              - x: 1
- after:
    return: \${v}
`));
  t.true(error instanceof WorkflowLoadError);
  t.regex(String(error?.message), /symbol 'v' not found here/);
});

test('next: continue skips the rest of an iteration and next: break leaves the loop', async (t) => {
  const { result } = await runWorkflow(`
- init:
    assign:
      - kept: []
- loop:
    for:
      value: n
      range: [1, 10]
      steps:
        - skip_even:
            switch:
              - condition: \${n % 2 == 0}
                next: continue
        - stop_at_seven:
            switch:
              - condition: \${n >= 7}
                next: break
        - keep:
            assign:
              - kept: \${list.concat(kept, n)}
- done:
    return: \${kept}
`);
  t.deepEqual(result, [1, 3, 5]);
});

test('return inside a loop returns from the routine', async (t) => {
  const { result } = await runWorkflow(`
- loop:
    for:
      value: v
      in: [1, 2, 3]
      steps:
        - found:
            switch:
              - condition: \${v == 2}
                return: \${v * 100}
- none:
    return: 0
`);
  t.is(result, 200);
});

test('for over something other than a list is a TypeError', async (t) => {
  const { error } = await runWorkflow(`
- loop:
    for:
      value: v
      in: \${"abc"}
      steps:
        - noop:
            assign:
              - x: 1
`);
  t.like(error, { tags: ['TypeError'] });
});
