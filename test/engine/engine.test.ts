import test from 'ava';
import { EngineApiError } from '../../workflows/engine/api-error.ts';
import { ManualClock } from '../../workflows/engine/clock.ts';
import { WorkflowLoadError } from '../../workflows/engine/errors.ts';
import { newEngine, runWorkflow } from './helpers.ts';

const waitForever = `
- create:
    call: events.create_callback_endpoint
    result: callback
- wait:
    try:
      call: events.await_callback
      args:
        callback: \${callback}
        timeout: 3600
    except:
      steps:
        - cleanup:
            return: except ran
`;

test('built-in environment variables describe the execution; user variables come from deploy', async (t) => {
  const { result, execution } = await runWorkflow(`
- read:
    return:
      - \${sys.get_env("GOOGLE_CLOUD_PROJECT_ID")}
      - \${sys.get_env("GOOGLE_CLOUD_LOCATION")}
      - \${sys.get_env("GOOGLE_CLOUD_WORKFLOW_ID")}
      - \${sys.get_env("GOOGLE_CLOUD_WORKFLOW_REVISION_ID")}
      - \${sys.get_env("GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID")}
      - \${sys.get_env("GOOGLE_CLOUD_PROJECT_NUMBER")}
      - \${sys.get_env("STEPS_URL")}
      - \${sys.get_env("UNSET")}
      - \${sys.get_env("UNSET", "fallback")}
`, { env: { STEPS_URL: 'http://127.0.0.1:8080/steps' } });
  const id = execution.name.split('/').at(-1);
  t.deepEqual(result, ['test-project', 'us-central1', 'wf', execution.workflowRevisionId, id, '000000000000', 'http://127.0.0.1:8080/steps', null, 'fallback']);
  t.regex(execution.workflowRevisionId, /^000001-[0-9a-f]{3}$/);
});

test('user environment variables may not use the reserved prefixes', (t) => {
  const engine = newEngine(new ManualClock());
  const error = t.throws(() => engine.deploy('wf', '- a:\n    return: 1\n', 'wf.yaml', { GOOGLE_X: '1' }), { instanceOf: WorkflowLoadError });
  t.regex(error.message, /GOOGLE_X uses a reserved prefix/);
});

test('an execution argument over 32 KB is refused at creation with a ResourceLimitError message', (t) => {
  const engine = newEngine(new ManualClock());
  engine.deploy('wf', 'main:\n  params: [a]\n  steps:\n    - r:\n        return: 1\n', 'wf.yaml');
  const error = t.throws(() => engine.createExecution('wf', JSON.stringify('x'.repeat(33 * 1024))), { instanceOf: EngineApiError });
  t.is(error.status, 'INVALID_ARGUMENT');
  t.regex(error.message, /ResourceLimitError: the execution argument is \d+ bytes; the limit is 32768/);
  t.is(engine.listExecutions('wf').length, 0);
});

test('variables over 512 KB in total raise ResourceLimitError', async (t) => {
  const { error, execution } = await runWorkflow(`
- init:
    assign:
      - s: "0123456789abcdef"
- grow:
    for:
      value: i
      range: [1, 16]
      steps:
        - double:
            assign:
              - s: \${s + s}
`);
  t.is(execution.state, 'FAILED');
  t.like(error, { tags: ['ResourceLimitError'] });
});

test('an uncaught error names the step it came from', async (t) => {
  const { execution, error } = await runWorkflow('- first:\n    assign:\n      - a: 1\n- second:\n    return: ${a.b}\n');
  t.like(error, { tags: ['TypeError'] });
  t.regex(execution.error?.context ?? '', /in step "second", routine "main", line: 4/);
  t.deepEqual(execution.error?.stackTrace.elements.map((e) => e.step), ['second']);
});

test('cancel stops a waiting execution without running its except, and later callbacks are 404', async (t) => {
  const clock = new ManualClock();
  const engine = newEngine(clock);
  engine.deploy('wf', waitForever, 'wf.yaml');
  const started = engine.createExecution('wf');
  await clock.advance(1000);
  t.is(engine.getExecution(started.name)?.state, 'ACTIVE');
  t.deepEqual(engine.getExecution(started.name)?.status?.currentSteps, [{ step: 'wait', routine: 'main' }, { step: 'wait', routine: 'main' }]);
  const cancelled = engine.cancelExecution(started.name);
  t.is(cancelled.state, 'CANCELLED');
  const done = await engine.awaitExecution(started.name);
  t.is(done.state, 'CANCELLED');
  t.is(done.result, undefined);
  t.is(clock.pendingTimers, 0);
  t.deepEqual(engine.listStepEntries(started.name)?.map((e) => [e.step, e.state]), [
    ['create', 'STATE_SUCCEEDED'],
    ['wait', 'STATE_CANCELLED'],
    ['wait', 'STATE_CANCELLED'],
  ]);
  t.throws(() => engine.cancelExecution(started.name), { instanceOf: EngineApiError, message: /CANCELLED, not ACTIVE/ });
});

test('executions are listed newest first, BASIC without argument or result', async (t) => {
  const clock = new ManualClock();
  const engine = newEngine(clock);
  engine.deploy('wf', 'main:\n  params: [a]\n  steps:\n    - r:\n        return: ${a}\n', 'wf.yaml');
  const first = engine.createExecution('wf', '1');
  const second = engine.createExecution('wf', '2');
  await engine.awaitExecution(first.name);
  await engine.awaitExecution(second.name);
  const listed = engine.listExecutions('wf');
  t.deepEqual(listed.map((e) => e.name), [second.name, first.name]);
  t.is(listed[0]?.argument, undefined);
  t.is(engine.getExecution(first.name)?.result, '1');
  t.deepEqual(engine.listExecutions('other'), []);
});

test('creating an execution of an unknown workflow, or with bad JSON, is refused', (t) => {
  const engine = newEngine(new ManualClock());
  t.is(t.throws(() => engine.createExecution('nope'), { instanceOf: EngineApiError }).status, 'NOT_FOUND');
  engine.deploy('wf', '- a:\n    return: 1\n', 'wf.yaml');
  t.is(t.throws(() => engine.createExecution('wf', '{oops'), { instanceOf: EngineApiError }).status, 'INVALID_ARGUMENT');
});

test('a redeploy gives a new revision; running executions keep theirs', async (t) => {
  const clock = new ManualClock();
  const engine = newEngine(clock);
  engine.deploy('wf', '- s:\n    call: sys.sleep\n    args: { seconds: 5 }\n- r:\n    return: old\n', 'wf.yaml');
  const running = engine.createExecution('wf');
  const { revisionId } = engine.deploy('wf', '- r:\n    return: new\n', 'wf.yaml');
  t.regex(revisionId, /^000002-/);
  await clock.runUntilIdle();
  t.is((await engine.awaitExecution(running.name)).result, '"old"');
  const fresh = engine.createExecution('wf');
  t.is((await engine.awaitExecution(fresh.name)).result, '"new"');
});
