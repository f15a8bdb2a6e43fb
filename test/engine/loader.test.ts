import test from 'ava';
import { loadWorkflow } from '../../workflows/engine/loader/load-workflow.ts';
import { loadProblems } from './helpers.ts';

const problemsOf = (source: string) => loadProblems(source, 'runner.yaml');

test('an unsupported call is rejected naming the file, the step and the call', (t) => {
  const problems = problemsOf(`
main:
  steps:
    - publish:
        call: googleapis.pubsub.v1.projects.topics.publish
        args: { topic: t }
`);
  t.deepEqual(problems, ['runner.yaml: step "publish": unsupported call "googleapis.pubsub.v1.projects.topics.publish" (line 5)']);
});

test('parallel steps are rejected at load time', (t) => {
  const problems = problemsOf(`
- fan_out:
    parallel:
      branches: []
`);
  t.regex(problems[0] ?? '', /runner\.yaml: step "fan_out": unsupported construct "parallel"/);
});

test('every problem of a file is reported at once', (t) => {
  const problems = problemsOf(`
main:
  steps:
    - a:
        assign:
          - x: \${nope(1)}
    - b:
        return: \${1 +}
    - c:
        call: http.get
        args: { url: "u", private_service_name: x }
    - d:
        next: nowhere
`);
  t.is(problems.length, 4);
  t.regex(problems[0] ?? '', /step "a": unsupported function "nope"/);
  t.regex(problems[1] ?? '', /step "b": invalid expression/);
  t.regex(problems[2] ?? '', /step "c": unsupported argument "private_service_name" for "http.get"/);
  t.regex(problems[3] ?? '', /step "d": "next: nowhere" names no step/);
});

test('blocking calls and subworkflows are refused inside expressions', (t) => {
  const problems = problemsOf(`
main:
  steps:
    - a:
        assign:
          - r: \${http.get("http://x")}
          - s: \${helper()}
helper:
  steps:
    - r:
        return: 1
`);
  t.regex(problems[0] ?? '', /unsupported use of "http.get" in an expression: use a call step/);
  t.regex(problems[1] ?? '', /unsupported subworkflow call "helper" in an expression/);
});

test('a jump out of a for loop, and break outside one, are rejected', (t) => {
  const problems = problemsOf(`
- before:
    assign:
      - x: 1
- loop:
    for:
      value: v
      in: [1]
      steps:
        - escape:
            next: before
- stray:
    next: break
`);
  t.regex(problems[0] ?? '', /step "escape": "next: before" names no step reachable from here \(a jump cannot leave a for loop/);
  t.regex(problems[1] ?? '', /step "stray": "next: break" is only allowed inside a for loop/);
});

test('string interpolation outside ${} is rejected, not silently kept', (t) => {
  t.regex(problemsOf('- a:\n    return: "id-${x}"\n')[0] ?? '', /unsupported string interpolation/);
});

test('subworkflow calls are checked against the parameters', (t) => {
  const problems = problemsOf(`
main:
  steps:
    - a:
        call: add
        args: { x: 1, z: 3 }
add:
  params: [x, y]
  steps:
    - r:
        return: \${x + y}
`);
  t.deepEqual(problems.map((p) => p.replace(/ \(line \d+\)/, '')), [
    'runner.yaml: step "a": unsupported argument "z" for "add"',
    'runner.yaml: step "a": missing argument "y" for "add"',
  ]);
});

test('retry accepts the default policies and refuses a predicate used as a policy', (t) => {
  const base = (retry: string) => `
- t:
    try:
      call: http.get
      args: { url: "http://x" }
    retry: ${retry}
`;
  t.deepEqual(problemsOf(base('${http.default_retry}')), []);
  t.deepEqual(problemsOf(base('${http.default_retry_non_idempotent}')), []);
  t.regex(problemsOf(base('${retry.always}'))[0] ?? '', /"retry.always" is a predicate/);
});

test('a step holding two actions, or an unknown key, is rejected', (t) => {
  t.regex(problemsOf('- a:\n    assign: [{x: 1}]\n    return: 1\n')[0] ?? '', /a step holds one action, found "assign" and "return"/);
  t.regex(problemsOf('- a:\n    return: 1\n    retry: 3\n')[0] ?? '', /unsupported key "retry" in a return step/);
});

test('YAML syntax errors and duplicate step names are load errors', (t) => {
  t.regex(problemsOf('main:\n  steps: [\n')[0] ?? '', /^runner\.yaml: line \d+:/);
  t.regex(problemsOf('- a:\n    next: b\n- b:\n    return: 1\n- a:\n    return: 2\n')[0] ?? '', /step "a": duplicate step name/);
});

test('an unquoted expression holding ": " gets a hint to quote it', (t) => {
  const problems = problemsOf('- a:\n    assign:\n      - body: ${map.merge(job, {"k": v})}\n');
  t.regex(problems[0] ?? '', /^runner\.yaml: line 3: .*\(an expression containing ": " must be quoted: '\$\{\.\.\.\}'\)$/);
});

test('a plain list of steps is the main routine', (t) => {
  const program = loadWorkflow('- only:\n    return: 1\n', 'x.yaml');
  t.deepEqual([...program.routines.keys()], ['main']);
});
