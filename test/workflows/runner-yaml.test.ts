import { readFileSync } from 'node:fs';
import test from 'ava';
import { parse } from 'yaml';
import { loadWorkflow } from '../../workflows/engine/index.ts';
import { validateWorkflowSchema } from '../../workflows/schema/validate.ts';
import { runRunner } from './runner-budget-world.ts';

const source = readFileSync(new URL('../../workflows/runner.yaml', import.meta.url), 'utf8');

test('runner.yaml passes the SchemaStore Workflows schema (with the documented overlay)', (t) => {
  t.deepEqual(validateWorkflowSchema(parse(source) as unknown), { valid: true, errors: [] });
});

test('runner.yaml loads in the embedded engine', (t) => {
  t.notThrows(() => loadWorkflow(source, 'workflows/runner.yaml'));
});

test('runner.yaml passes no secret-bearing field into its final result', (t) => {
  const finish = source.slice(source.indexOf('- finish:'), source.indexOf('await_job_end:'));
  t.false(/sealedJitConfig|jit|token/i.test(finish));
});

test('runner.yaml keeps only the body of a callback: the request, headers and all, is dropped at once', (t) => {
  const waitRoutine = source.slice(source.indexOf('await_job_end:\n'), source.indexOf('call_step:\n'));
  t.regex(waitRoutine, /call: events\.await_callback[\s\S]*?result: received/);
  t.regex(waitRoutine, /- keep_event_body:\n\s+assign:\n\s+- event: \$\{received\.http_request\.body\}\n\s+- received: null/);
  t.false(/received\.http_request\.headers/.test(source));
});

test('a failed execution writes one ERROR entry of its own, naming the runner and the error, with no secret', async (t) => {
  // The workflow runs with call logging off (terraform/workflows.tf): this entry is what operators see.
  const run = await runRunner({ idleTimeoutSeconds: 600, maxRunDurationSeconds: 3600, vmCheckIntervalSeconds: 60 }, null, 'create-vm');
  t.is(run.state, 'FAILED');
  t.is(run.logs.length, 1);
  t.like(run.logs[0], { severity: 'ERROR', payload: { message: 'runner execution failed; deleting its VM', runnerName: 'ghr-linux-42-1', tags: ['HttpError'], code: 400 } });
  t.false(JSON.stringify(run.logs).includes('xxxxxxxx'), 'the sealed JIT config is not logged');
});
