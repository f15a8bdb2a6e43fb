import test from 'ava';
import type { HttpTransport } from '../../workflows/engine/http-transport.ts';
import { runWorkflow } from './helpers.ts';

/** Answers with the given statuses in turn, and counts the requests. */
function statuses(...codes: number[]): HttpTransport & { calls: number } {
  const transport = async () => {
    const status = codes[Math.min(transport.calls++, codes.length - 1)] as number;
    return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status }) };
  };
  transport.calls = 0;
  return transport;
}

test('a retry re-runs the whole try block, not only the failed step', async (t) => {
  const { result } = await runWorkflow(`
- init:
    assign:
      - first: 0
      - second: 0
- attempt:
    try:
      steps:
        - count_first:
            assign:
              - first: \${first + 1}
        - count_second:
            assign:
              - second: \${second + 1}
        - fail_twice:
            switch:
              - condition: \${second < 3}
                raise: not yet
    retry:
      predicate: \${retry.always}
      max_retries: 5
      backoff: { initial_delay: 1, max_delay: 60, multiplier: 2 }
- done:
    return: \${[first, second]}
`);
  t.deepEqual(result, [3, 3]);
});

test('max_retries does not count the first attempt, and delays are capped by max_delay', async (t) => {
  const { result, clock } = await runWorkflow(`
- init:
    assign:
      - attempts: 0
- attempt:
    try:
      steps:
        - count:
            assign:
              - attempts: \${attempts + 1}
        - fail:
            raise: always
    retry:
      predicate: \${retry.always}
      max_retries: 5
      backoff: { initial_delay: 1, max_delay: 5, multiplier: 2 }
    except:
      as: e
      steps:
        - report:
            return: \${[attempts, e]}
`);
  t.deepEqual(result, [6, 'always']);
  t.deepEqual(clock.sleeps, [1000, 2000, 4000, 5000, 5000]);
});

test('a predicate subworkflow decides which errors are retried', async (t) => {
  const { result } = await runWorkflow(`
main:
  steps:
    - init:
        assign:
          - codes: [503, 503, 404, 200]
          - attempt: 0
    - call_api:
        try:
          steps:
            - next_code:
                assign:
                  - attempt: \${attempt + 1}
            - fail:
                raise:
                  code: \${codes[attempt - 1]}
                  tags: [HttpError]
        retry:
          predicate: \${only_unavailable}
          max_retries: 10
          backoff: { initial_delay: 1, max_delay: 1, multiplier: 1 }
        except:
          as: e
          steps:
            - give_up:
                return: \${[attempt, e.code]}
only_unavailable:
  params: [e]
  steps:
    - decide:
        return: \${e.code == 503}
`);
  t.deepEqual(result, [3, 404]);
});

test('http.default_retry retries a 503 with the default backoff until it succeeds', async (t) => {
  const http = statuses(503, 503, 200);
  const { result, clock } = await runWorkflow(`
- call_api:
    try:
      call: http.get
      args: { url: "http://api.test/thing" }
      result: response
    retry: \${http.default_retry}
- done:
    return: \${response.body}
`, { http });
  t.deepEqual(result, { status: 200 });
  t.is(http.calls, 3);
  t.deepEqual(clock.sleeps, [1000, 1250]);
});

test('the non-idempotent policy does not retry a 502, the idempotent one does', async (t) => {
  const once = statuses(502, 200);
  const failed = await runWorkflow(`
- call_api:
    try:
      call: http.post
      args: { url: "http://api.test/thing", body: {} }
    retry: \${http.default_retry_non_idempotent}
`, { http: once });
  t.is(once.calls, 1);
  t.like(failed.error, { code: 502, tags: ['HttpError'] });
  const twice = statuses(502, 200);
  const succeeded = await runWorkflow(`
- call_api:
    try:
      call: http.get
      args: { url: "http://api.test/thing" }
    retry:
      predicate: \${http.default_retry_predicate}
      max_retries: 3
`, { http: twice });
  t.is(twice.calls, 2);
  t.is(succeeded.execution.state, 'SUCCEEDED');
});

test('raise ${e} in except re-raises the error with its tags', async (t) => {
  const { error, execution } = await runWorkflow(`
- init:
    assign:
      - empty: {}
- read:
    try:
      assign:
        - x: \${empty.missing}
    except:
      as: e
      steps:
        - reraise:
            raise: \${e}
`);
  t.is(execution.state, 'FAILED');
  t.like(error, { tags: ['KeyError'] });
});

test('except catches raised maps and strings as they were raised', async (t) => {
  // `first` is created before the except blocks: a variable they create would be local to them.
  const { result } = await runWorkflow(`
- init:
    assign:
      - first: null
- a:
    try:
      raise: { code: 7, message: custom }
    except:
      as: e
      steps:
        - keep:
            assign:
              - first: \${e}
- b:
    try:
      raise: plain
    except:
      as: e
      steps:
        - done:
            return: \${[first, e]}
`);
  t.deepEqual(result, [{ code: 7, message: 'custom' }, 'plain']);
});
