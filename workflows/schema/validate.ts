import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { applyOverlay } from './overlay.ts';

// ajv-formats is CommonJS: under NodeNext its default export arrives as `.default`.
const addFormats = ajvFormats.default;

const schema = JSON.parse(readFileSync(new URL('./workflows.schema.json', import.meta.url), 'utf8')) as object;

// The SchemaStore schema is draft-07 (Ajv's default class) and not written for Ajv's strict
// mode (`minItems` on untyped objects), so strict mode is off.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(applyOverlay(schema));

export interface SchemaResult {
  valid: boolean;
  errors: string[];
}

/**
 * Checks a parsed workflow (YAML or JSON, as plain data) against the SchemaStore schema with the
 * documented constructs it predates added (`overlay.ts`). The engine's loader still decides what
 * runs; this catches misspelt keys and misplaced blocks as Google's own tooling would.
 */
export function validateWorkflowSchema(doc: unknown): SchemaResult {
  const valid = validate(doc);
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  return { valid: valid === true, errors: valid === true ? [] : errors };
}
