import type { Log } from '../log/logger.ts';
import { startComputeSimulator, type ComputeSimulator } from '../../simulators/compute/start-compute-simulator.ts';
import { startGitHubSimulator, type GitHubSimulator } from '../../simulators/github/start-github-simulator.ts';

export interface LocalWorldOptions {
  readonly github: boolean;
  readonly compute: boolean;
  readonly log: Log;
  /** How long a simulated VM takes to boot before its runner connects. */
  readonly bootDelayMs?: number;
  /** A connected runner finishes its job this long after taking it; absent → tests complete jobs. */
  readonly autoRunMs?: number;
  /** false: VMs boot but their runners do not connect (tests connect them in a chosen order). */
  readonly connectRunners?: boolean;
}

export interface LocalWorld {
  readonly github: GitHubSimulator | null;
  readonly compute: ComputeSimulator | null;
  close(): Promise<void>;
}

/**
 * The simulators that stand in for GitHub and Compute Engine, linked as the real ones are by the
 * VM's startup script: a VM that reaches RUNNING connects its runner with the JIT config from its
 * metadata, and GitHub gives that runner a queued job.
 */
export async function startLocalWorld(options: LocalWorldOptions): Promise<LocalWorld> {
  const github = options.github ? await startGitHubSimulator({ log: options.log.child({ component: 'github-simulator' }) }) : null;
  const compute = options.compute
    ? await startComputeSimulator({ log: options.log.child({ component: 'compute-simulator' }), bootDelayMs: options.bootDelayMs ?? 0 })
    : null;
  if (github && options.autoRunMs !== undefined) github.setAutoRun(options.autoRunMs);
  if (github && compute && options.connectRunners !== false) {
    compute.onInstanceStatus(async ({ name, status, instance }) => {
      if (status === 'DELETED' || status === 'TERMINATED') await github.runnerLost(name);
      if (status !== 'RUNNING' || !instance) return;
      const items = ((instance['metadata'] as { items?: { key: string; value: string }[] } | undefined)?.items ?? []);
      const jitConfig = items.find((item) => item.key === 'jit-config')?.value;
      if (!jitConfig) return;
      try {
        await github.runnerConnect(jitConfig);
      } catch (error) {
        options.log.warn({ runnerName: instance['name'], err: error }, 'simulated runner could not connect');
      }
    });
  }
  return {
    github,
    compute,
    async close() {
      await Promise.all([github?.close(), compute?.close()]);
    },
  };
}
