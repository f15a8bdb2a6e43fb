import type { Clock } from '../clock.ts';
import type { Log } from '../log/logger.ts';
import { fetchReleaseFromUrl } from './fetch-release-url.ts';
import type { GitHub } from './github.ts';
import { fileReleaseRecord, memoryReleaseRecord } from './release-record.ts';
import { createRunnerReleaseResolver, type FetchLatestRelease, type RunnerReleaseSource } from './runner-release-resolver.ts';

export interface RunnerReleaseSourceOptions {
  readonly github: Pick<GitHub, 'getLatestRelease'>;
  /** RUNNER_RELEASES_URL; null → actions/runner's latest release on the configured GitHub. */
  readonly releasesUrl: string | null;
  /** DATA_DIR; null → the last release is kept in memory only. */
  readonly dataDir: string | null;
  readonly clock: Clock;
  readonly log: Log;
}

/** The release resolver as the service runs it, from its configuration. */
export function createRunnerReleaseSource(options: RunnerReleaseSourceOptions): RunnerReleaseSource {
  const releasesUrl = options.releasesUrl;
  const fetchLatest: FetchLatestRelease =
    releasesUrl === null ? (installationId) => options.github.getLatestRelease(installationId, 'actions', 'runner') : () => fetchReleaseFromUrl(releasesUrl);
  const record = options.dataDir === null ? memoryReleaseRecord() : fileReleaseRecord(options.dataDir);
  return createRunnerReleaseResolver({ fetchLatest, record, clock: options.clock, log: options.log.child({ component: 'runner-release' }) });
}
