import { readFileSync } from 'node:fs';
import test from 'ava';
import { parse } from 'yaml';
import { RUNNER_GRACE_SECONDS } from '../../handlers/reaper/reaper-limits.ts';
import { loadWorkflow } from '../../workflows/engine/index.ts';
import { validateWorkflowSchema } from '../../workflows/schema/validate.ts';

const source = readFileSync(new URL('../../workflows/reaper.yaml', import.meta.url), 'utf8');

test('reaper.yaml passes the SchemaStore Workflows schema (with the documented overlay)', (t) => {
  t.deepEqual(validateWorkflowSchema(parse(source) as unknown), { valid: true, errors: [] });
});

test('reaper.yaml loads in the embedded engine', (t) => {
  t.notThrows(() => loadWorkflow(source, 'workflows/reaper.yaml'));
});

test('reaper.yaml calls every reaper step, each through the retrying call_step', (t) => {
  const steps = [...source.matchAll(/step: ([a-z-]+)/g)].map((match) => match[1]);
  t.deepEqual(steps, ['tend-warm-pools', 'reap-vms', 'redeliver-failed', 'find-stale-runners', 'remove-stale-runners']);
  t.is([...source.matchAll(/call: http\.post/g)].length, 1);
  t.regex(source, /predicate: \$\{is_transient\}/);
});

test('reaper.yaml waits the runner grace between the two runner looks, and tells the second look so', (t) => {
  const main = (parse(source) as { main: { steps: Record<string, { args?: Record<string, any> }>[] } }).main; // parsed YAML: any JSON
  const step = (name: string) => main.steps.find((candidate) => name in candidate)?.[name];
  t.is(step('wait_runner_grace')?.args?.['seconds'], RUNNER_GRACE_SECONDS);
  t.is(step('remove_stale_runners')?.args?.['body']?.['graceSeconds'], RUNNER_GRACE_SECONDS);
});
