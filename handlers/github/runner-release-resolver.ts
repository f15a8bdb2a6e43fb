import type { Clock } from '../clock.ts';
import type { Log } from '../log/logger.ts';
import { parseRunnerRelease } from './parse-runner-release.ts';
import type { ReleaseRecord } from './release-record.ts';
import type { RunnerRelease } from './runner-release.ts';

/** Asks for the latest `actions/runner` release object; the installation is the one whose token may be used. */
export type FetchLatestRelease = (installationId: number) => Promise<unknown>;

export interface RunnerReleaseSource {
  /** The runner release VMs should run, or null when none was ever resolved (VMs then use their image's runner). */
  current(installationId: number): Promise<RunnerRelease | null>;
}

export interface ResolverDeps {
  readonly fetchLatest: FetchLatestRelease;
  readonly record: ReleaseRecord;
  readonly clock: Clock;
  readonly log: Log;
}

/**
 * GitHub releases a runner every few weeks and refuses runners 30 days behind: asking once an
 * hour is fresh enough and costs one API call per hour.
 */
export const releaseTtlMs = 60 * 60 * 1000;
/** After a failed lookup, VMs created in the next minute use the fallback without waiting on GitHub again. */
export const failureBackoffMs = 60 * 1000;

/**
 * Resolves the current runner release from GitHub, cached for an hour. When GitHub cannot be
 * asked, it answers with the last release it resolved (in memory, else the persisted record),
 * else null. Concurrent callers share one lookup.
 */
export function createRunnerReleaseResolver(deps: ResolverDeps): RunnerReleaseSource {
  let cached: RunnerRelease | null = null;
  let nextLookupAt = 0;
  let inFlight: Promise<RunnerRelease | null> | null = null;

  const lookup = async (installationId: number): Promise<RunnerRelease | null> => {
    try {
      const release = parseRunnerRelease(await deps.fetchLatest(installationId));
      if (release.version !== cached?.version) deps.log.info({ runnerVersion: release.version, architectures: Object.keys(release.sha256) }, 'runner release resolved from GitHub');
      cached = release;
      nextLookupAt = deps.clock.now() + releaseTtlMs;
      saveQuietly(deps, release);
      return release;
    } catch (error) {
      nextLookupAt = deps.clock.now() + failureBackoffMs;
      cached ??= deps.record.load();
      const reason = error instanceof Error ? error.message : String(error);
      deps.log.warn({ reason, fallbackVersion: cached?.version ?? null }, cached ? 'cannot resolve the runner release: using the last one resolved' : 'cannot resolve the runner release and none is recorded: VMs use the runner of their image');
      return cached;
    }
  };

  return {
    async current(installationId) {
      if (deps.clock.now() < nextLookupAt) return cached;
      inFlight ??= lookup(installationId).finally(() => (inFlight = null));
      return inFlight;
    },
  };
}

function saveQuietly(deps: ResolverDeps, release: RunnerRelease): void {
  try {
    deps.record.save(release);
  } catch (error) {
    deps.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'cannot persist the runner release record');
  }
}
