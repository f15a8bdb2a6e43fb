/**
 * Amendments to the vendored SchemaStore schema for constructs Google's Workflows syntax reference
 * documents but the schema predates. Each is the smallest widening that admits the documented form;
 * everything else in the upstream schema still applies. Drop an entry once upstream has it.
 */
type Schema = Record<string, unknown> & { definitions: Record<string, Record<string, unknown> & { properties: Record<string, unknown> }> };

export const overlayNotes = [
  'call args: subworkflow and standard-library calls take their own argument names (events.*, sys.*, user subworkflows)',
  'args.body: any JSON value or an expression, not only a map',
  'args.timeout and args.seconds: an expression as well as a number',
  'args.auth: `audience` and `scopes` (documented for OIDC and OAuth2)',
  'step.steps and step.for: nested steps and for loops',
  'step.try: a `steps` block as well as a single call',
  'subworkflow params: `name: default` entries as well as names',
] as const;

export function applyOverlay(upstream: object): object {
  const schema = structuredClone(upstream) as Schema;
  const step = schema.definitions['step']!;
  const args = step.properties['args'] as { additionalProperties: unknown; properties: Record<string, unknown> };
  args.additionalProperties = true;
  args.properties['body'] = {};
  args.properties['timeout'] = { type: ['number', 'string'] };
  args.properties['seconds'] = { type: ['number', 'string'] };
  const auth = args.properties['auth'] as { properties: Record<string, unknown> };
  auth.properties['audience'] = { type: 'string' };
  auth.properties['scopes'] = { type: ['string', 'array'] };
  step.properties['steps'] = { $ref: '#/definitions/stepArray' };
  step.properties['for'] = {
    type: 'object',
    required: ['value', 'steps'],
    properties: { value: { type: 'string' }, index: { type: 'string' }, in: {}, range: {}, steps: { $ref: '#/definitions/stepArray' } },
    additionalProperties: false,
  };
  step.properties['try'] = { anyOf: [{ $ref: '#/definitions/step' }, { type: 'object', properties: { steps: { $ref: '#/definitions/stepArray' } }, required: ['steps'], additionalProperties: false }] };
  const subworkflow = schema.definitions['subworkflow']!;
  (subworkflow.properties['params'] as { items: unknown }).items = { anyOf: [{ type: 'string' }, { type: 'object', minProperties: 1, maxProperties: 1 }] };
  return schema;
}
