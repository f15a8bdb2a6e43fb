import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** ajv-formats is CommonJS: its default export arrives wrapped under ESM. */
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const require = createRequire(import.meta.url);

type Json = Record<string, unknown>;

function loadJson(specifier: string): Json {
  return JSON.parse(readFileSync(require.resolve(specifier), 'utf8')) as Json;
}

/** Refs inside the spec are document-relative; we register its components under `id`. */
function rebase(schema: unknown, id: string): unknown {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${id}#/components/`));
}

/**
 * One Ajv holding a spec's components. OpenAPI carries keywords Ajv does not know (`example`,
 * `discriminator`, `x-github`) and formats it lacks, so strict mode is off and unknown formats pass.
 */
function componentsAjv(spec: Json, id: string): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats(ajv);
  ajv.addSchema({ $id: id, components: nullableWithoutType(spec['components']) });
  return ajv;
}

/** Ajv reads OpenAPI's `nullable` only next to `type`; elsewhere (`allOf`, `$ref`) it becomes `anyOf` with null. */
function nullableWithoutType(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableWithoutType);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, nullableWithoutType(value)] as const);
  const object = Object.fromEntries(entries) as Json;
  if (object['nullable'] === true && Array.isArray(object['enum']) && !object['enum'].includes(null)) {
    object['enum'] = [...(object['enum'] as unknown[]), null]; // Ajv wants null listed in a nullable enum
  }
  if (object['nullable'] !== true || 'type' in object) return object;
  const { nullable: _nullable, ...rest } = object;
  return { anyOf: [rest, { type: 'null' }] };
}

export interface Operation {
  readonly template: string;
  readonly spec: Json;
}

/** The REST spec of api.github.com from @octokit/openapi (the non-dereferenced file: 13 MB, not 73). */
export function restSchemas() {
  const spec = loadJson('@octokit/openapi/generated/api.github.com.json');
  const id = 'https://schemas.test/rest';
  const ajv = componentsAjv(spec, id);
  const components = spec['components'] as { responses: Record<string, Json> };
  const paths = spec['paths'] as Record<string, Record<string, Json>>;
  const compiled = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: unknown) => {
    const cached = compiled.get(key) ?? ajv.compile(nullableWithoutType(rebase(schema, id)) as Json);
    compiled.set(key, cached);
    return cached;
  };
  const operation = (method: string, path: string): Operation | undefined => {
    const candidates = Object.keys(paths).filter((t) => paths[t]?.[method.toLowerCase()] && templateRegex(t).test(path));
    const template = candidates.sort((a, b) => params(a) - params(b))[0];
    const op = template === undefined ? undefined : paths[template]?.[method.toLowerCase()];
    return template === undefined || op === undefined ? undefined : { template, spec: op };
  };
  const jsonSchema = (holder: Json | undefined): unknown => {
    const resolved = holder?.['$ref'] === undefined ? holder : components.responses[String(holder['$ref']).split('/').pop()!];
    return ((resolved?.['content'] as Json | undefined)?.['application/json'] as Json | undefined)?.['schema'];
  };
  return {
    operation,
    /** Errors for the request body, `null` when valid or when the operation takes none. */
    request(op: Operation, body: unknown) {
      const schema = jsonSchema(op.spec['requestBody'] as Json | undefined);
      if (schema === undefined) return null;
      const validate = compile(`req ${op.template}`, schema);
      return validate(body) ? null : validate.errors;
    },
    /**
     * Errors for the response body; `undefined` when the spec documents no body for that status.
     * GitHub answers 404 on every route though few operations list it: those use `basic-error`.
     */
    response(op: Operation, method: string, status: number, body: unknown) {
      const documented = jsonSchema((op.spec['responses'] as Record<string, Json>)[String(status)]);
      const schema = documented ?? (status >= 400 ? { $ref: '#/components/schemas/basic-error' } : undefined);
      if (schema === undefined) return undefined;
      const validate = compile(`res ${method} ${op.template} ${status}`, schema);
      return validate(body) ? null : validate.errors;
    },
  };
}

/** The `workflow_job` webhook schemas from @octokit/openapi-webhooks. */
export function webhookSchemas() {
  const spec = loadJson('@octokit/openapi-webhooks/generated/api.github.com.json');
  const id = 'https://schemas.test/webhooks';
  const ajv = componentsAjv(spec, id);
  return (payload: Json) => {
    const name = `webhook-workflow-job-${String(payload['action']).replace('_', '-')}`;
    const validate = ajv.getSchema(`${id}#/components/schemas/${name}`);
    if (validate === undefined) throw new Error(`no schema ${name}`);
    return validate(payload) ? null : validate.errors;
  };
}

function templateRegex(template: string): RegExp {
  return new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
}

function params(template: string): number {
  return template.split('{').length;
}
