import type { HttpTransport } from '../../workflows/engine/http-transport.ts';

/**
 * One row per construct our workflows use: what Google documents (with the page) and a workflow
 * that shows the engine doing it. `conformance.test.ts` runs every row and checks that runner.yaml
 * and reaper.yaml use nothing without a row.
 */
export interface ConformanceRow {
  readonly construct: string;
  readonly doc: string;
  readonly documented: string;
  readonly source: string;
  readonly argument?: unknown;
  readonly http?: () => HttpTransport;
  readonly result?: unknown;
  readonly errorTags?: readonly string[];
}

const docs = 'https://cloud.google.com/workflows/docs/reference';
const expressions = `${docs}/syntax/expressions`;
const helpers = `${docs}/stdlib/expression-helpers`;

/** A steps service that answers each call with the next of `answers`. */
export function answering(...answers: Array<{ status: number; headers?: Record<string, string>; body?: unknown }>): () => HttpTransport {
  return () => {
    let calls = 0;
    return async () => {
      const answer = answers[Math.min(calls++, answers.length - 1)] ?? { status: 200 };
      return { status: answer.status, headers: { 'content-type': 'application/json', ...answer.headers }, body: JSON.stringify(answer.body ?? {}) };
    };
  };
}

const returns = (expression: string, assign = '- m: {a: {b: 1}}') => `
- init:
    assign:
      ${assign}
- done:
    return: \${${expression}}
`;

export const expressionRows: readonly ConformanceRow[] = [
  { construct: 'map.get', doc: `${docs}/stdlib/map/get`, documented: 'a list of keys drills down; a missing key or a non-map on the way gives null', source: returns('[map.get(m, ["a", "b"]), map.get(m, ["a", "x", "y"]), map.get(m, "z"), map.get(null, "a")]'), result: [1, null, null, null] },
  { construct: 'map.merge', doc: `${docs}/stdlib/map/merge`, documented: 'a new map: the second map\'s keys win, the inputs are unchanged', source: returns('[map.merge(m, n), m]', '- m: {a: 1, b: 1}\n      - n: {b: 2}'), result: [{ a: 1, b: 2 }, { a: 1, b: 1 }] },
  { construct: 'default', doc: `${helpers}#conditional_functions`, documented: 'the second value when the first is null, else the first (0 and "" are values)', source: returns('[default(null, 5), default(0, 5), default("", "x")]'), result: [5, 0, ''] },
  { construct: 'if', doc: `${helpers}#conditional_functions`, documented: 'the second argument when the condition is true, else the third', source: returns('[if(true, "a", "b"), if(false, "a", "b")]'), result: ['a', 'b'] },
  { construct: 'int', doc: `${helpers}#conversion_functions`, documented: 'a string or double to an integer (a Retry-After header arrives as a string)', source: returns('[int("30"), int(2.7)]'), result: [30, 2] },
  { construct: 'len', doc: `${helpers}#data_type_functions`, documented: 'the length of a list, map or string', source: returns('[len([1, 2]), len(m), len("abc")]'), result: [2, 1, 3] },
  { construct: 'math.max', doc: `${docs}/stdlib/math/max`, documented: 'the larger of two numbers', source: returns('[math.max(1, 2), math.max(3, 2.5)]'), result: [2, 3] },
  { construct: 'math.min', doc: `${docs}/stdlib/math/min`, documented: 'the smaller of two numbers', source: returns('[math.min(1, 2), math.min(3, 2.5)]'), result: [1, 2.5] },
  { construct: 'sys.now', doc: `${docs}/stdlib/sys/now`, documented: 'seconds since the epoch, as a double', source: returns('[get_type(sys.now()), sys.now() > 1700000000]'), result: ['double', true] },
  { construct: 'sys.get_env', doc: 'https://cloud.google.com/workflows/docs/reference/environment-variables', documented: 'built-in GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID is the execution id; an unknown name gives null', source: returns('[len(sys.get_env("GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID")) > 0, sys.get_env("NOT_SET")]'), result: [true, null] },
  { construct: 'in', doc: expressions, documented: '`in` finds a value in a list and a key in a map', source: returns('["a" in ["a", "b"], "a" in m, "z" in m]'), result: [true, true, false] },
  { construct: 'list literal', doc: `${docs}/syntax/iteration`, documented: 'a list may be written inside an expression (the parallel-for sample: `range: ${[0, len(x) - 1]}`)', source: returns('[1, len(m) - 1]'), result: [1, 0] },
  { construct: 'and', doc: expressions, documented: 'logical and; short-circuit evaluation is not documented, so the engine evaluates both sides', source: returns('m.missing == 1 and false'), errorTags: ['KeyError'] },
  { construct: 'or', doc: expressions, documented: 'logical or; short-circuit evaluation is not documented, so the engine evaluates both sides', source: returns('true or m.missing == 1'), errorTags: ['KeyError'] },
  { construct: 'not', doc: expressions, documented: 'logical negation', source: returns('[not true, not ("x" in m)]'), result: [false, true] },
  { construct: '==', doc: expressions, documented: 'equality compares values, an integer equals the same double', source: returns('[1 == 1.0, "a" == "a", null == null]'), result: [true, true, true] },
  { construct: '!=', doc: expressions, documented: 'inequality', source: returns('[1 != 2, null != null]'), result: [true, false] },
  { construct: '<', doc: expressions, documented: 'ordering on numbers', source: returns('[1 < 2, 2.5 < 2]'), result: [true, false] },
  { construct: '>', doc: expressions, documented: 'ordering on numbers', source: returns('[2 > 1, 1 > 1]'), result: [true, false] },
  { construct: '>=', doc: expressions, documented: 'ordering on numbers', source: returns('[2 >= 2, 1 >= 2]'), result: [true, false] },
  { construct: '+', doc: expressions, documented: 'arithmetic addition and string concatenation', source: returns('[1 + 2, "a" + "b"]'), result: [3, 'ab'] },
  { construct: '-', doc: expressions, documented: 'arithmetic subtraction', source: returns('5 - 7'), result: -2 },
  { construct: '.', doc: expressions, documented: '`object.field`; a missing field is a KeyError', source: returns('m.a.missing'), errorTags: ['KeyError'] },
  { construct: '[]', doc: expressions, documented: '`list[index]` and `object["field"]`', source: returns('[l[1], m["a"]["b"]]', '- m: {a: {b: 1}}\n      - l: [5, 6]'), result: [6, 1] },
  { construct: 'map literal in an expression', doc: expressions, documented: 'not among the supported elements: refused at deploy (load) time', source: returns('{"a": 1}'), errorTags: ['load error'] },
];

const syntax = `${docs}/syntax`;

export const stepRows: readonly ConformanceRow[] = [
  { construct: 'assign', doc: `${syntax}/variables#assign-step`, documented: 'assignments run in order, each seeing the ones before; a map is a YAML value', source: '- a:\n    assign:\n      - x: 1\n      - y: ${x + 1}\n      - m:\n          k: ${y}\n- b:\n    return: ${m}\n', result: { k: 2 } },
  { construct: 'switch', doc: `${syntax}/conditions`, documented: 'the first true condition runs its `next`, `steps`, `return` or `raise`; none true falls through', source: '- s:\n    switch:\n      - condition: ${false}\n        return: no\n      - condition: ${true}\n        steps:\n          - inner:\n              return: yes\n', result: 'yes' },
  { construct: 'next', doc: `${syntax}/jumps`, documented: '`next` jumps to a named step, also out of nested steps to an enclosing list', source: '- a:\n    next: c\n- b:\n    return: skipped\n- c:\n    steps:\n      - d:\n          next: e\n- e:\n    return: reached\n', result: 'reached' },
  { construct: 'return', doc: `${syntax}/completing`, documented: '`return` ends the routine with a value', source: '- a:\n    return: [1, two]\n', result: [1, 'two'] },
  { construct: 'raise', doc: `${syntax}/raising-errors`, documented: 'a raised map or string fails the execution with it as the error', source: '- a:\n    raise:\n      code: 7\n      tags: [Custom]\n', errorTags: ['Custom'] },
  { construct: 'try', doc: `${syntax}/catching-errors`, documented: '`try` catches an error of its block; without except it propagates', source: '- a:\n    try:\n      raise: boom\n    except:\n      as: e\n      steps:\n        - b:\n            return: ${"caught " + e}\n', result: 'caught boom' },
  { construct: 'except', doc: `${syntax}/catching-errors`, documented: 'the error is in the `as` variable; `raise: ${e}` re-raises it unchanged; a jump may leave the block', source: '- init:\n    assign:\n      - n: 0\n- a:\n    try:\n      raise:\n        code: 503\n        tags: [HttpError]\n    except:\n      as: e\n      steps:\n        - count:\n            assign:\n              - n: ${n + 1}\n        - again:\n            switch:\n              - condition: ${n < 2}\n                next: a\n        - reraise:\n            raise: ${e}\n', errorTags: ['HttpError'] },
  { construct: 'retry predicate subworkflow', doc: `${syntax}/retrying#custom-predicate`, documented: 'a subworkflow decides each retry; `max_retries` does not count the first try; delays grow by `multiplier` up to `max_delay`', source: 'main:\n  steps:\n    - init:\n        assign:\n          - tries: 0\n    - a:\n        try:\n          steps:\n            - count:\n                assign:\n                  - tries: ${tries + 1}\n            - fail:\n                raise:\n                  code: 503\n                  tags: [HttpError]\n        retry:\n          predicate: ${only_503}\n          max_retries: 2\n          backoff:\n            initial_delay: 1\n            max_delay: 10\n            multiplier: 2\n        except:\n          as: e\n          steps:\n            - give_up:\n                return: ${tries}\nonly_503:\n  params: [e]\n  steps:\n    - decide:\n        return: ${e.code == 503}\n', result: 3 },
  { construct: 'subworkflow', doc: `${syntax}/subworkflows`, documented: 'called by name with named args; params without a default are required; `result` takes its return', source: 'main:\n  steps:\n    - a:\n        call: add\n        args:\n          x: 2\n        result: sum\n    - b:\n        return: ${sum}\nadd:\n  params: [x, y: 40]\n  steps:\n    - c:\n        return: ${x + y}\n', result: 42 },
  { construct: 'call', doc: `${syntax}/calls`, documented: 'a call step runs a function or subworkflow with `args` and stores `result`', source: '- a:\n    call: sys.log\n    args:\n      severity: INFO\n      json:\n        message: hello\n- b:\n    return: done\n', result: 'done' },
];

export const callRows: readonly ConformanceRow[] = [
  { construct: 'sys.log', doc: `${docs}/stdlib/sys/log`, documented: '`text` or `json` with a severity; returns null', source: '- a:\n    call: sys.log\n    args:\n      severity: ERROR\n      json:\n        message: failed\n    result: r\n- b:\n    return: ${r}\n', result: null },
  { construct: 'sys.sleep', doc: `${docs}/stdlib/sys/sleep`, documented: 'waits `seconds`', source: '- a:\n    call: sys.sleep\n    args:\n      seconds: 5\n- b:\n    return: ${sys.now()}\n', result: 1735689605 },
  { construct: 'http.post', doc: 'https://cloud.google.com/workflows/docs/http-requests', documented: 'a 2xx answer gives `code`, `headers` and the JSON-decoded `body`', source: '- a:\n    call: http.post\n    args:\n      url: http://steps.test/steps/validate\n      body:\n        jobId: 1\n    result: r\n- b:\n    return: ${[r.code, r.body.proceed]}\n', http: answering({ status: 200, body: { proceed: true } }), result: [200, true] },
  { construct: 'HTTP error map', doc: `${syntax}/error-types`, documented: 'a non-2xx answer raises an HttpError map with `tags`, `code`, `headers`, `body` and `message`', source: '- a:\n    try:\n      call: http.post\n      args:\n        url: http://steps.test/steps/validate\n    except:\n      as: e\n      steps:\n        - b:\n            return: ${[e.tags, e.code, map.get(e, ["headers", "retry-after"]), e.body.error, len(e.message) > 0]}\n', http: answering({ status: 429, headers: { 'retry-after': '30' }, body: { error: 'rate_limited' } }), result: [['HttpError'], 429, '30', 'rate_limited', true] },
  { construct: 'retry http.default_retry_predicate', doc: `${docs}/stdlib/http/default_retry_predicate`, documented: 'retries 429, 502, 503, 504 and ConnectionError, ConnectionFailedError, TimeoutError; nothing else', source: '- a:\n    try:\n      call: http.get\n      args:\n        url: http://steps.test/thing\n      result: r\n    retry:\n      predicate: ${http.default_retry_predicate}\n      max_retries: 5\n      backoff:\n        initial_delay: 1\n        max_delay: 1\n        multiplier: 1\n- b:\n    return: ${r.code}\n', http: answering({ status: 429 }, { status: 502 }, { status: 503 }, { status: 504 }, { status: 200 }), result: 200 },
  { construct: 'retry http.default_retry_predicate (not retried)', doc: `${docs}/stdlib/http/default_retry_predicate`, documented: 'a 500 or 404 is not retried by the default predicate', source: '- a:\n    try:\n      call: http.get\n      args:\n        url: http://steps.test/thing\n    retry:\n      predicate: ${http.default_retry_predicate}\n      max_retries: 5\n      backoff:\n        initial_delay: 1\n        max_delay: 1\n        multiplier: 1\n', http: answering({ status: 500 }, { status: 200 }), errorTags: ['HttpError'] },
  { construct: 'events.create_callback_endpoint', doc: `${docs}/stdlib/events/create_callback_endpoint`, documented: 'returns a map whose `url` receives the callback', source: '- a:\n    call: events.create_callback_endpoint\n    args:\n      http_callback_method: POST\n    result: cb\n- b:\n    return: ${text.match_regex(cb.url, "/callbacks/")}\n', result: true },
  { construct: 'events.await_callback', doc: `${docs}/stdlib/events/await_callback`, documented: 'raises TimeoutError when no request arrives within `timeout` seconds', source: '- a:\n    call: events.create_callback_endpoint\n    args:\n      http_callback_method: POST\n    result: cb\n- b:\n    call: events.await_callback\n    args:\n      callback: ${cb}\n      timeout: 30\n', errorTags: ['TimeoutError'] },
];
