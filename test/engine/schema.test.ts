import test from 'ava';
import { parse } from 'yaml';
import { validateWorkflowSchema } from '../../workflows/schema/validate.ts';

test('a small valid workflow passes the SchemaStore schema', (t) => {
  const doc = parse(`
main:
  params: [args]
  steps:
    - init:
        assign:
          - project: \${sys.get_env("GOOGLE_CLOUD_PROJECT_ID")}
    - fetch:
        try:
          call: http.get
          args:
            url: https://example.com/api
            auth:
              type: OIDC
          result: response
        retry: \${http.default_retry}
    - done:
        return: \${response.body}
`) as unknown;
  t.deepEqual(validateWorkflowSchema(doc), { valid: true, errors: [] });
});

test('an unknown step key fails the schema with the path to it', (t) => {
  const result = validateWorkflowSchema(parse('main:\n  steps:\n    - init:\n        asign:\n          - x: 1\n') as unknown);
  t.false(result.valid);
  t.true(result.errors.includes('/main/steps/0/init must NOT have additional properties'));
});
