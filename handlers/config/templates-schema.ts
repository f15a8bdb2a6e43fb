import { z } from 'zod';
import { parseDuration } from './duration.ts';
import { warmPoolSchema } from './warm-pool.ts';

/** The templates file's shape; the rules across fields are in template-rules.ts. */
const name = z.string().regex(/^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/, 'lowercase letters, digits and dashes, at most 20 characters');
const duration = z.string().refine((text) => (parseDuration(text) ?? 0) > 0, 'a duration such as 90s, 10m or 6h');
const label = z.string().min(1).max(256);
/** GCE label rules (https://cloud.google.com/compute/docs/labeling-resources). */
const vmLabelKey = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, 'a label key: a lowercase letter, then lowercase letters, digits, _ or -, at most 63 characters');
const vmLabelValue = z.string().regex(/^[a-z0-9_-]{0,63}$/, 'a label value: lowercase letters, digits, _ or -, at most 63 characters');

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
  arch: z.enum(['x64', 'arm64']),
  provisionedIops: z.number().int().positive(),
  provisionedThroughput: z.number().int().positive(),
  metadata: z.record(z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/, 'a metadata key: letters, digits, _ or -, at most 128 characters'), z.string().max(256 * 1024)),
  vmLabels: z.record(vmLabelKey, vmLabelValue),
  minCpuPlatform: z.string().min(1),
  nestedVirtualization: z.boolean(),
  runnerScope: z.enum(['organization', 'repository']),
};

export const defaultsSchema = z.object(templateFields).partial().strict();
/** `warmPool` is per template: a pool in `defaults` would warm every template. */
export const templateSchema = z.object({ name, labels: z.array(label).min(1), ...defaultsSchema.shape, warmPool: warmPoolSchema.optional() }).strict();

export const fileSchema = z
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
