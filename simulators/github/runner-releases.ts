import { createHash } from 'node:crypto';
import type { Clock } from '../../handlers/clock.ts';
import { isoSeconds } from './http.ts';
import { simpleUser } from './simple-user.ts';

export type RunnerTarballArch = 'x64' | 'arm64';

export interface RunnerReleaseInput {
  /** e.g. `2.336.0`; the tag is `v` + version. */
  readonly version: string;
  /** SHA-256 (hex) of each Linux tarball published; an architecture left out has no asset. */
  readonly sha256: Readonly<Partial<Record<RunnerTarballArch, string>>>;
  /** false: assets carry `digest: null` (uploaded before GitHub computed digests); the notes still list the checksums. */
  readonly withDigests?: boolean;
}

export interface RunnerReleases {
  publish(input: RunnerReleaseInput): void;
  /** The release object GitHub answers for `GET /repos/actions/runner/releases/latest`, or null when none is published. */
  latestJson(apiUrl: string): Record<string, unknown> | null;
}

/** The simulator starts with a release, so that `npm start` resolves one as a deployment would. */
export const defaultRunnerRelease: RunnerReleaseInput = {
  version: '2.336.0',
  sha256: {
    x64: createHash('sha256').update('simulated actions-runner-linux-x64-2.336.0').digest('hex'),
    arm64: createHash('sha256').update('simulated actions-runner-linux-arm64-2.336.0').digest('hex'),
  },
};

const releaseAuthor = { login: 'github-actions[bot]', id: 41898282, type: 'User' as const };
let nextId = 250_000_000;

/**
 * actions/runner's releases as GitHub serves them: Linux, macOS and Windows assets (we only read
 * Linux), each with its `digest`, and notes listing the checksums between BEGIN/END SHA markers.
 */
export function createRunnerReleases(clock: Clock, initial: RunnerReleaseInput = defaultRunnerRelease): RunnerReleases {
  let latest: { input: RunnerReleaseInput; id: number; at: string } | null = null;
  const publish = (input: RunnerReleaseInput) => void (latest = { input, id: nextId++, at: isoSeconds(clock.now()) });
  publish(initial);
  return {
    publish,
    latestJson(apiUrl) {
      if (latest === null) return null;
      return releaseJson(latest.input, latest.id, latest.at, apiUrl);
    },
  };
}

/** GitHub's simple-user of the bot that publishes runner releases: `[bot]` is percent-encoded in its URLs. */
function botUser(apiUrl: string): Record<string, unknown> {
  const user = simpleUser(releaseAuthor, apiUrl);
  const encoded = Object.entries(user).map(([key, value]) => [key, key !== 'login' && typeof value === 'string' ? value.replace('[bot]', '%5Bbot%5D') : value]);
  return { ...Object.fromEntries(encoded), type: 'Bot' };
}

function releaseJson(input: RunnerReleaseInput, id: number, at: string, apiUrl: string): Record<string, unknown> {
  const tag = `v${input.version}`;
  const repoApi = `${apiUrl}/repos/actions/runner`;
  const uploader = botUser(apiUrl);
  const files: Array<[string, string]> = Object.entries(input.sha256).map(([arch, sha]) => [`actions-runner-linux-${arch}-${input.version}.tar.gz`, sha]);
  // A macOS asset too: the resolver must pick the Linux tarballs by name.
  files.push([`actions-runner-osx-x64-${input.version}.tar.gz`, createHash('sha256').update(`osx ${input.version}`).digest('hex')]);
  const assets = files.map(([name, sha], index) => ({
    url: `${repoApi}/releases/assets/${id + index + 1}`,
    browser_download_url: `https://github.com/actions/runner/releases/download/${tag}/${name}`,
    id: id + index + 1,
    node_id: `RA_sim${id + index + 1}`,
    name,
    label: '',
    state: 'uploaded',
    content_type: 'application/gzip',
    size: 200_000_000,
    digest: input.withDigests === false ? null : `sha256:${sha}`,
    download_count: 0,
    created_at: at,
    updated_at: at,
    uploader,
  }));
  const notes = Object.entries(input.sha256).map(([arch, sha]) => `- actions-runner-linux-${arch}-${input.version}.tar.gz <!-- BEGIN SHA linux-${arch} -->${sha}<!-- END SHA linux-${arch} -->`);
  return {
    url: `${repoApi}/releases/${id}`,
    html_url: `https://github.com/actions/runner/releases/tag/${tag}`,
    assets_url: `${repoApi}/releases/${id}/assets`,
    upload_url: `https://uploads.github.com/repos/actions/runner/releases/${id}/assets{?name,label}`,
    tarball_url: `${repoApi}/tarball/${tag}`,
    zipball_url: `${repoApi}/zipball/${tag}`,
    id,
    node_id: `RE_sim${id}`,
    tag_name: tag,
    target_commitish: 'main',
    name: tag,
    body: `## SHA-256 Checksums\n\nThe SHA-256 checksums for the packages included in this build are shown below:\n\n${notes.join('\n')}\n`,
    draft: false,
    prerelease: false,
    immutable: false,
    created_at: at,
    published_at: at,
    updated_at: at,
    author: uploader,
    assets,
  };
}
