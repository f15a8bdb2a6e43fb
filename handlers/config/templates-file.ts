import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseDuration } from './duration.ts';
import { argumentSizeProblem, stepBudgetProblem } from './execution-limits.ts';
import type { RunnerTemplate, TemplatesConfig } from './types.ts';

const name = z.string().regex(/^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/, 'lowercase letters, digits and dashes, at most 20 characters');
const duration = z.string().refine((text) => (parseDuration(text) ?? 0) > 0, 'a duration such as 90s, 10m or 6h');
const label = z.string().min(1).max(256);

/** Fields a template may set and the `defaults` block may supply. */
const templateFields = {
  zones: z.array(z.string().regex(/^[a-z]+-[a-z]+\d+-[a-z]$/, 'a zone such as us-central1-a')).min(1),
  machineType: z.string().regex(/^[a-z0-9-]+$/, 'a bare machine type such as e2-standard-2'),
  image: z.string().min(1),
  diskSizeGb: z.number().int().min(10).max(65536),
  diskType: z.string().regex(/^[a-z0-9-]+$/),
  spot: z.boolean(),
  spotFallbackToOnDemand: z.boolean(),
  accelerators: z.array(z.object({ type: z.string().min(1), count: z.number().int().min(1).max(16) }).strict()),
  idleTimeout: duration,
  maxRunDuration: duration,
  vmCheckInterval: duration,
  runnerGroupId: z.number().int().min(1),
  maxRunners: z.number().int().min(1).max(10000),
  subnetwork: z.string().min(1),
  serviceAccount: z.string().email(),
  networkTags: z.array(z.string().regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/)),
  runnerScope: z.enum(['organization', 'repository']),
};

const defaultsSchema = z.object(templateFields).partial().strict();
const templateSchema = z.object({ name, labels: z.array(label).min(1), ...defaultsSchema.shape }).strict();

const fileSchema = z
  .object({
    defaults: defaultsSchema.default({}),
    templates: z.array(templateSchema).min(1),
    access: z
      .object({
        owners: z.array(z.string().min(1)).default([]),
        repositories: z.array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name')).default([]),
        publicRepositories: z.boolean().default(false),
      })
      .strict()
      .default({ owners: [], repositories: [], publicRepositories: false }),
  })
  .strict();

type TemplateFields = z.infer<typeof defaultsSchema>;

type ResolvedFields = { [K in keyof TemplateFields]-?: NonNullable<TemplateFields[K]> };

const builtInDefaults: Omit<ResolvedFields, 'subnetwork' | 'serviceAccount'> = {
  zones: ['us-central1-a', 'us-central1-b', 'us-central1-f'],
  machineType: 'e2-standard-2',
  image: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64',
  diskSizeGb: 50,
  diskType: 'pd-balanced',
  spot: false,
  spotFallbackToOnDemand: true,
  accelerators: [],
  idleTimeout: '10m',
  maxRunDuration: '6h',
  vmCheckInterval: '5m',
  runnerGroupId: 1,
  maxRunners: 10,
  networkTags: [],
  runnerScope: 'organization',
};

export class TemplatesFileError extends Error {
  override readonly name = 'TemplatesFileError';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.join('; '));
    this.problems = problems;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

/** Parses and validates a templates file, applying `defaults`; throws listing every problem. */
export function parseTemplatesFile(source: string): TemplatesConfig {
  let document: unknown;
  try {
    document = parseYaml(source);
  } catch (error) {
    throw new TemplatesFileError([`not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  const parsed = fileSchema.safeParse(document);
  if (!parsed.success) {
    throw new TemplatesFileError(parsed.error.issues.map((issue) => `${formatPath(issue.path) || '(file)'}: ${issue.message}`));
  }
  const { defaults, templates, access } = parsed.data;
  const problems: string[] = [];
  const seen = new Set<string>();
  templates.forEach((template, index) => {
    if (seen.has(template.name)) problems.push(`templates[${index}].name: "${template.name}" is used twice`);
    seen.add(template.name);
  });
  const resolved = templates.map((template) => resolveTemplate(template, defaults));
  resolved.forEach((template, index) => {
    for (const problem of [stepBudgetProblem(template, index), argumentSizeProblem(template, index)]) if (problem) problems.push(problem);
  });
  if (problems.length > 0) throw new TemplatesFileError(problems);
  return Object.freeze({
    templates: Object.freeze(resolved),
    access: Object.freeze({
      owners: access.owners.map((owner) => owner.toLowerCase()),
      repositories: access.repositories.map((repository) => repository.toLowerCase()),
      publicRepositories: access.publicRepositories,
    }),
  });
}

function resolveTemplate(template: z.infer<typeof templateSchema>, defaults: TemplateFields): RunnerTemplate {
  const field = <K extends keyof typeof builtInDefaults>(key: K): (typeof builtInDefaults)[K] =>
    (template[key] ?? defaults[key] ?? builtInDefaults[key]) as (typeof builtInDefaults)[K];
  const subnetwork = template.subnetwork ?? defaults.subnetwork;
  const serviceAccount = template.serviceAccount ?? defaults.serviceAccount;
  return Object.freeze({
    name: template.name,
    labels: [...new Set(template.labels.map((text) => text.toLowerCase()))],
    zones: field('zones'),
    machineType: field('machineType'),
    image: field('image'),
    diskSizeGb: field('diskSizeGb'),
    diskType: field('diskType'),
    spot: field('spot'),
    spotFallbackToOnDemand: field('spotFallbackToOnDemand'),
    accelerators: field('accelerators') as RunnerTemplate['accelerators'],
    idleTimeoutSeconds: parseDuration(field('idleTimeout')) ?? 0,
    maxRunDurationSeconds: parseDuration(field('maxRunDuration')) ?? 0,
    vmCheckIntervalSeconds: parseDuration(field('vmCheckInterval')) ?? 0,
    runnerGroupId: field('runnerGroupId'),
    maxRunners: field('maxRunners'),
    networkTags: field('networkTags') as RunnerTemplate['networkTags'],
    runnerScope: field('runnerScope') as RunnerTemplate['runnerScope'],
    ...(subnetwork === undefined ? {} : { subnetwork }),
    ...(serviceAccount === undefined ? {} : { serviceAccount }),
  });
}
