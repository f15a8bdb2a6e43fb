import test from 'ava';
import { loadProblems, runWorkflow } from './helpers.ts';

// Syntax reference → Variables → "Variable scope"
// (https://cloud.google.com/workflows/docs/reference/syntax/variables): "A variable created inside
// a for loop belongs to the local scope of that loop ... accessing it outside of the loop will
// raise an error when deploying the workflow. This local scoping also applies to any variable
// created inside an except block." A name that exists nowhere fails the deploy as
// "symbol '...' not found" (the service's build error, e.g. GoogleCloudPlatform/workflows-demos#21).

const problemsOf = (source: string) => loadProblems(source, 'wf.yaml');

test('a variable created in an except block cannot be used after it', (t) => {
  const problems = problemsOf(`
- call_api:
    try:
      raise: boom
    except:
      as: e
      steps:
        - remember:
            assign:
              - failure: \${e}
- after:
    return: \${failure}
`);
  t.deepEqual(problems, ['wf.yaml: step "after": symbol \'failure\' not found here: it is local to the for loop or except block of step "call_api"']);
});

test('the except variable itself is local to its block', (t) => {
  t.regex(problemsOf('- a:\n    try:\n      raise: x\n    except:\n      as: e\n      steps:\n        - s:\n            assign:\n              - y: 1\n- b:\n    return: ${e}\n')[0] ?? '', /step "b": symbol 'e' not found here/);
});

test('the documented loop-scope sample: the routine variable changed in the loops is allowed, the loop locals are not', (t) => {
  const sample = (finalValue: string) => `
- init:
    assign:
      - workflowScope: foo
- outerLoop:
    for:
      value: outerLoopValue
      in: [1, 2, 3, 4]
      steps:
        - outerLoopAssign:
            assign:
              - outerLoopScope: \${workflowScope}
        - innerLoop:
            for:
              value: innerLoopValue
              in: [5, 6, 7, 8]
              steps:
                - innerLoopAssign:
                    assign:
                      - workflowScope: \${innerLoopValue}
                      - innerLoopScope: \${outerLoopScope}
- final:
    return: \${${finalValue}}
`;
  t.deepEqual(problemsOf(sample('workflowScope')), []);
  for (const local of ['outerLoopScope', 'innerLoopScope', 'outerLoopValue']) {
    t.regex(problemsOf(sample(local))[0] ?? '', new RegExp(`step "final": symbol '${local}' not found here`), local);
  }
});

test('a name assigned nowhere is refused wherever it is read, also in arguments and conditions', (t) => {
  const problems = problemsOf(`
- check:
    switch:
      - condition: \${missing_flag}
        next: done
- post:
    call: http.post
    args:
      url: \${base_url}
- done:
    return: 1
`);
  t.deepEqual(problems, ["wf.yaml: step \"check\": symbol 'missing_flag' not found", "wf.yaml: step \"post\": symbol 'base_url' not found"]);
});

test('a loop may update a routine variable that is first assigned further down the routine', (t) => {
  t.deepEqual(problemsOf(`
- loop:
    for:
      value: v
      in: [1]
      steps:
        - touch:
            assign:
              - total: \${v}
- later:
    assign:
      - total: 0
- done:
    return: \${total}
`), []);
});

test('at run time an except block forgets what it created, so the next failure starts afresh', async (t) => {
  // The second pass reads `note` before assigning it: had the first pass's value survived the
  // block, it would be returned instead of a KeyError.
  const { error } = await runWorkflow(`
- init:
    assign:
      - passes: 0
- attempt:
    try:
      raise: boom
    except:
      as: e
      steps:
        - count:
            assign:
              - passes: \${passes + 1}
        - second_pass_reads_note:
            switch:
              - condition: \${passes == 2}
                return: \${note}
        - keep_note:
            assign:
              - note: \${e}
        - again:
            next: attempt
`);
  t.like(error, { tags: ['KeyError'] });
});

test('an except variable shadowing a routine variable gives it back after the block', async (t) => {
  const { result } = await runWorkflow(`
- init:
    assign:
      - e: original
- attempt:
    try:
      raise: boom
    except:
      as: e
      steps:
        - seen:
            assign:
              - inside: \${e}
- done:
    return: \${e}
`);
  t.is(result, 'original');
});
