import { pino } from 'pino';
import { loadConfig } from '../handlers/config/load-config.ts';
import { createLogger } from '../handlers/log/logger.ts';
import { startSystem, type SystemOptions } from '../handlers/system/start-system.ts';

/**
 * One template, as a production file would have it, with room for the burst (maxRunners counts
 * live VMs of the template, so it must exceed the burst for none of the jobs to wait).
 */
export const benchTemplates = (maxRunners: number): string => `
defaults:
  zones: [us-central1-a, us-central1-b]
  idleTimeout: 10m
  maxRunDuration: 6h
templates:
  - name: linux
    labels: [self-hosted, linux, x64]
    maxRunners: ${maxRunners}
`;

/**
 * The product's own logger (pino, level info, redaction and scrubbing hooks) writing to /dev/null
 * through the same asynchronous sonic-boom destination as production's stdout: the cost of building
 * every log line is measured, a terminal's is not, and no line piles up in memory.
 */
export function benchLogger() {
  return createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: false }) });
}

/** The whole product as `npm start` builds it (app, embedded engine, in-process queues, both simulators) on free ports. */
export async function startBenchSystem(options: { maxRunners?: number } & Partial<Omit<SystemOptions, 'log'>> = {}) {
  const { maxRunners = 2000, ...systemOptions } = options;
  const config = loadConfig({ PORT: '0', RUNNER_TEMPLATES_YAML: benchTemplates(maxRunners) }, () => {
    throw new Error('the bench reads no files');
  });
  const system = await startSystem(config, { log: benchLogger(), ...systemOptions });
  const github = system.world.github;
  const compute = system.world.compute;
  const embedded = system.embedded;
  if (!github || !compute || !embedded) throw new Error('the bench needs both simulators and the embedded engine');
  return { system, github, compute, embedded, engine: embedded.engine, url: system.url };
}

export type BenchSystem = Awaited<ReturnType<typeof startBenchSystem>>;

/** The VM (runner) name the product gives a job's first attempt on the bench template. */
export const vmNameOf = (jobId: number): string => `ghr-linux-${jobId}-1`;
