import { loadConfig } from '../../handlers/config/load-config.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
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
  const logger = createMemoryLogger('info');
  const config = loadConfig({ PORT: '0', RUNNER_TEMPLATES_YAML: options.templates ?? testTemplates(), ...options.env }, () => {
    throw new Error('no files in tests');
  });
  const system = await startSystem(config, { log: logger.log, ...options });
  const github = system.world.github!;
  const compute = system.world.compute!;
  const embedded = system.embedded!;
  return { system, github, compute, embedded, engine: embedded.engine, logger, url: system.url };
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
