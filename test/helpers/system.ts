import { loadConfig } from '../../handlers/config/load-config.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { MetricStore } from '../../handlers/metrics/metric-store.ts';
import { startSystem, type SystemOptions } from '../../handlers/system/start-system.ts';

export const testTemplates = (idleTimeout = '3s', extra = '') => `
defaults:
  zones: [us-central1-a, us-central1-b]
  idleTimeout: ${idleTimeout}
  maxRunDuration: 1h
templates:
  - name: linux
    labels: [self-hosted, linux, x64]
    maxRunners: 50
${extra}`;

/** The whole product as `npm start` builds it, on a free port, with both simulators and a log kept in memory. */
export async function startTestSystem(options: { templates?: string; env?: Record<string, string> } & Partial<Omit<SystemOptions, 'log'>> = {}) {
  const metrics = new MetricStore();
  const logger = createMemoryLogger('info', (fields) => metrics.add(fields));
  const config = loadConfig({ PORT: '0', RUNNER_TEMPLATES_YAML: options.templates ?? testTemplates(), ...options.env }, () => {
    throw new Error('no files in tests');
  });
  const system = await startSystem(config, { log: logger.log, metrics, ...options });
  const github = system.world.github!;
  const compute = system.world.compute!;
  const embedded = system.embedded!;
  return { system, github, compute, embedded, engine: embedded.engine, logger, metrics, url: system.url };
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type TestSystem = Awaited<ReturnType<typeof startTestSystem>>;

/** The JIT config and callback URL a simulated VM carries in its metadata, as the startup script reads them. */
export function vmMetadata(world: TestSystem, name: string): Record<string, string> {
  const instance = world.compute.instances().find((candidate) => candidate['name'] === name);
  const items = (instance?.['metadata'] as { items?: { key: string; value: string }[] } | undefined)?.items ?? [];
  return Object.fromEntries(items.map((item) => [item.key, item.value]));
}

export function vmNames(world: TestSystem): string[] {
  return world.compute.instances().map((instance) => String(instance['name']));
}

export async function executionEnd(world: TestSystem, name: string, timeoutMs = 15_000) {
  return eventually(() => {
    const execution = world.engine.getExecution(name);
    return execution && execution.state !== 'ACTIVE' && execution;
  }, timeoutMs, `end of ${name}`);
}

/** Counts the VMs alive at once from the Compute simulator's status events; `peak()` is the most seen. */
export function trackPeakVms(world: TestSystem): { peak(): number } {
  let live = 0;
  let peak = 0;
  world.compute.onInstanceStatus(({ status, previousStatus }) => {
    if (previousStatus === null) live += 1;
    if (status === 'DELETED') live -= 1;
    peak = Math.max(peak, live);
  });
  return { peak: () => peak };
}
