import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import type { HttpTransport } from '../../workflows/engine/http-transport.ts';
import { journalFileName } from '../../workflows/engine/store/data-store.ts';
import { eventually } from '../helpers/system.ts';
import { bootEngine, clockAt, tempDataDir } from './replay-helpers.ts';

// Reads its environment before and after a wait, and calls out once.
const source = `
main:
  steps:
    - before:
        assign:
          - seen: '\${sys.get_env("STAGE")}'
    - call_out:
        call: http.get
        args: { url: https://example.test/ping }
        result: pong
    - nap:
        call: sys.sleep
        args: { seconds: 60 }
    - done:
        return: { before: '\${seen}', after: '\${sys.get_env("STAGE")}', pong: '\${pong.body}' }
`;

const ping: HttpTransport = async () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'pong' });
const napping = (boot: ReturnType<typeof bootEngine>, name: string) =>
  eventually(() => boot.engine.getExecution(name)?.status?.currentSteps.some((step) => step.step === 'nap'), 5000, 'nap');

test('a restarted execution goes on with the revision it started with, while new ones get the new revision', async (t) => {
  const dir = tempDataDir(t);
  const before = bootEngine(dir, clockAt(0), source, { STAGE: 'one' }, ping);
  const started = before.engine.createExecution('wf');
  await napping(before, started.name);
  const after = bootEngine(dir, clockAt(1000), source, { STAGE: 'two' }, ping);
  await after.engine.recovered;
  const fresh = after.engine.createExecution('wf');
  t.regex(started.workflowRevisionId, /^000001-/);
  t.regex(fresh.workflowRevisionId, /^000002-/);
  // With a store, an HTTP answer is flushed to disk before the program goes on: real I/O, so wait
  // for the sleep to begin before moving the manual clock.
  await napping(after, fresh.name);
  await after.clock.advance(60_000);
  t.deepEqual(JSON.parse((await after.engine.awaitExecution(started.name)).result!), { before: 'one', after: 'one', pong: 'pong' });
  t.deepEqual(JSON.parse((await after.engine.awaitExecution(fresh.name)).result!), { before: 'two', after: 'two', pong: 'pong' });
});

test('a cancelled execution stays cancelled after a restart and is not resumed', async (t) => {
  const dir = tempDataDir(t);
  let calls = 0;
  const counting: HttpTransport = async (request) => ((calls += 1), ping(request));
  const before = bootEngine(dir, clockAt(0), source, { STAGE: 'one' }, counting);
  const started = before.engine.createExecution('wf');
  await napping(before, started.name);
  before.engine.cancelExecution(started.name);
  const after = bootEngine(dir, clockAt(1000), source, { STAGE: 'one' }, counting);
  await after.engine.recovered;
  await after.clock.runUntilIdle();
  t.is(after.engine.getExecution(started.name)?.state, 'CANCELLED');
  t.is(calls, 1);
});

test('a journal that no longer matches the program fails the execution with the reason, instead of guessing', async (t) => {
  const dir = tempDataDir(t);
  const before = bootEngine(dir, clockAt(0), source, { STAGE: 'one' }, ping);
  const started = before.engine.createExecution('wf');
  await napping(before, started.name);
  const path = join(dir, journalFileName);
  writeFileSync(path, readFileSync(path, 'utf8').replace('"u":"https://example.test/ping"', '"u":"https://example.test/other"'));
  const after = bootEngine(dir, clockAt(1000), source, { STAGE: 'one' }, ping);
  const execution = await after.engine.awaitExecution(started.name);
  t.is(execution.state, 'FAILED');
  t.regex(execution.error?.payload ?? '', /the journal has GET https:\/\/example\.test\/other, the replay sends GET https:\/\/example\.test\/ping/);
});

test('an execution whose end was not written (lost with the page cache) ends again by replay, with the same result and no call re-sent', async (t) => {
  const dir = tempDataDir(t);
  let calls = 0;
  const counting: HttpTransport = async (request) => ((calls += 1), ping(request));
  const before = bootEngine(dir, clockAt(0), source, { STAGE: 'one' }, counting);
  const started = before.engine.createExecution('wf');
  await napping(before, started.name);
  await before.clock.advance(60_000);
  const ended = await before.engine.awaitExecution(started.name);
  const path = join(dir, journalFileName);
  writeFileSync(path, readFileSync(path, 'utf8').split('\n').filter((line) => !line.includes('"k":"fin"')).join('\n'));
  const after = bootEngine(dir, clockAt(120_000), source, { STAGE: 'one' }, counting);
  await after.engine.recovered;
  const again = await after.engine.awaitExecution(started.name);
  t.is(again.state, 'SUCCEEDED');
  t.is(again.result, ended.result);
  t.is(again.endTime, ended.endTime, 'the time of its last recorded effect');
  t.is(calls, 1);
});
