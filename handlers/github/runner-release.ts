/** The architectures GitHub publishes Linux runner tarballs for, as the tarballs name them. */
export const runnerArchs = ['x64', 'arm64'] as const;
export type RunnerArch = (typeof runnerArchs)[number];

/** One `actions/runner` release: its version and the SHA-256 (hex) of each Linux tarball it ships. */
export interface RunnerRelease {
  /** e.g. `2.330.0`, without the tag's `v`. */
  readonly version: string;
  readonly sha256: Readonly<Partial<Record<RunnerArch, string>>>;
}

/** The tarball of one architecture, as named in the release's assets and download URL. */
export function runnerTarballName(arch: RunnerArch, version: string): string {
  return `actions-runner-linux-${arch}-${version}.tar.gz`;
}
