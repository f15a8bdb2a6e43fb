import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { parseDuration } from './duration.ts';
import { argumentSizeProblem, stepBudgetProblem } from './execution-limits.ts';
import { machineFamilyOf } from './machine-families.ts';
import { templateRuleProblems } from './template-rules.ts';
import { resolveWarmPool, type WarmPool } from './warm-pool.ts';
import { defaultsSchema, fileSchema, templateSchema } from './templates-schema.ts';
import type { RunnerTemplate, TemplatesConfig } from './types.ts';

type TemplateFields = z.infer<typeof defaultsSchema>;

type ResolvedFields = { [K in keyof TemplateFields]-?: NonNullable<TemplateFields[K]> };

type Optional = 'subnetwork' | 'serviceAccount' | 'arch' | 'provisionedIops' | 'provisionedThroughput' | 'minCpuPlatform' | 'metadata' | 'vmLabels';

const builtInDefaults: Omit<ResolvedFields, Optional> = {
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
  nestedVirtualization: false,
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
  const owners = access.owners.map((owner) => owner.toLowerCase());
  const resolved = templates.map((template, index) => {
    const base = resolveTemplate(template, defaults);
    if (template.warmPool === undefined) return base;
    const pool = resolveWarmPool(template.warmPool, owners, base.maxRunners, index);
    if (typeof pool === 'string') {
      problems.push(pool);
      return base;
    }
    return withWarmPool(base, pool);
  });
  resolved.forEach((template, index) => {
    for (const problem of [stepBudgetProblem(template, index), argumentSizeProblem(template, index)]) if (problem) problems.push(problem);
    problems.push(...templateRuleProblems(template, index));
  });
  if (problems.length > 0) throw new TemplatesFileError(problems);
  return Object.freeze({
    templates: Object.freeze(resolved),
    access: Object.freeze({
      owners,
      repositories: access.repositories.map((repository) => repository.toLowerCase()),
      publicRepositories: access.publicRepositories,
    }),
  });
}

function resolveTemplate(template: z.infer<typeof templateSchema>, defaults: TemplateFields): RunnerTemplate {
  const field = <K extends keyof typeof builtInDefaults>(key: K): (typeof builtInDefaults)[K] =>
    (template[key] ?? defaults[key] ?? builtInDefaults[key]) as (typeof builtInDefaults)[K];
  const optional = <K extends Optional>(key: K): TemplateFields[K] => template[key] ?? defaults[key];
  const machineType = field('machineType');
  return Object.freeze({
    name: template.name,
    labels: [...new Set(template.labels.map((text) => text.toLowerCase()))],
    zones: field('zones'),
    machineType,
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
    // An unknown series is reported by the rules; x64 keeps the template well-formed meanwhile.
    arch: optional('arch') ?? machineFamilyOf(machineType)?.arch ?? 'x64',
    nestedVirtualization: field('nestedVirtualization'),
    // Maps merge: `defaults` can carry a cost-centre label that every template keeps.
    metadata: Object.freeze({ ...defaults.metadata, ...template.metadata }),
    vmLabels: Object.freeze({ ...defaults.vmLabels, ...template.vmLabels }),
    ...present('subnetwork', optional('subnetwork')),
    ...present('serviceAccount', optional('serviceAccount')),
    ...present('provisionedIops', optional('provisionedIops')),
    ...present('provisionedThroughput', optional('provisionedThroughput')),
    ...present('minCpuPlatform', optional('minCpuPlatform')),
  });
}

function withWarmPool(template: RunnerTemplate, warmPool: WarmPool): RunnerTemplate {
  return Object.freeze({ ...template, warmPool });
}

/** `{ key: value }`, or nothing when the value is absent (exactOptionalPropertyTypes). */
function present<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
