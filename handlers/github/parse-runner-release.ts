import { z } from 'zod';
import { RunnerError } from '../errors.ts';
import { runnerArchs, runnerTarballName, type RunnerRelease } from './runner-release.ts';

/**
 * The fields we read of GitHub's release object (GET /repos/{owner}/{repo}/releases/latest,
 * https://docs.github.com/rest/releases/releases#get-the-latest-release). Each asset's `digest` is
 * `sha256:<hex>`, or null for assets uploaded before GitHub computed digests.
 */
const releaseSchema = z.object({
  tag_name: z.string(),
  draft: z.boolean().optional(),
  prerelease: z.boolean().optional(),
  body: z.string().nullable().optional(),
  assets: z.array(z.object({ name: z.string(), digest: z.string().nullable().optional() })),
});

const versionPattern = /^v?(\d+\.\d+\.\d+)$/;
const hexPattern = /^[0-9a-f]{64}$/;

/**
 * The runner's release notes list each checksum between markers
 * (`<!-- BEGIN SHA linux-x64 -->HEX<!-- END SHA linux-x64 -->`, actions/runner releaseNote.md):
 * the source for assets that have no digest.
 */
function shaFromNotes(body: string | null | undefined, arch: string): string | undefined {
  const match = new RegExp(`<!-- BEGIN SHA linux-${arch} -->\\s*([0-9a-fA-F]{64})\\s*<!-- END SHA linux-${arch} -->`).exec(body ?? '');
  return match?.[1]?.toLowerCase();
}

function shaFromDigest(digest: string | null | undefined): string | undefined {
  if (digest === null || digest === undefined) return undefined;
  const hex = digest.startsWith('sha256:') ? digest.slice('sha256:'.length).toLowerCase() : '';
  if (!hexPattern.test(hex)) throw new RunnerError('invalid', `runner release: asset digest "${digest}" is not sha256:<64 hex>`);
  return hex;
}

/**
 * Reads the version and the per-architecture SHA-256 from a release object. Refuses a draft or
 * prerelease, a tag that is not a version, a digest that disagrees with the release notes, and a
 * release with no Linux tarball whose checksum is known: a VM must never get a version it cannot verify.
 */
export function parseRunnerRelease(data: unknown): RunnerRelease {
  const parsed = releaseSchema.safeParse(data);
  if (!parsed.success) throw new RunnerError('invalid', `runner release: unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  const release = parsed.data;
  if (release.draft === true || release.prerelease === true) throw new RunnerError('invalid', `runner release ${release.tag_name} is a draft or prerelease`);
  const version = versionPattern.exec(release.tag_name)?.[1];
  if (version === undefined) throw new RunnerError('invalid', `runner release tag "${release.tag_name}" is not a version`);
  const sha256: Partial<Record<(typeof runnerArchs)[number], string>> = {};
  for (const arch of runnerArchs) {
    const asset = release.assets.find((candidate) => candidate.name === runnerTarballName(arch, version));
    if (asset === undefined) continue;
    const fromDigest = shaFromDigest(asset.digest);
    const fromNotes = shaFromNotes(release.body, arch);
    if (fromDigest !== undefined && fromNotes !== undefined && fromDigest !== fromNotes) {
      throw new RunnerError('invalid', `runner release ${version}: the ${arch} digest and the release notes disagree`);
    }
    const sha = fromDigest ?? fromNotes;
    if (sha !== undefined) sha256[arch] = sha;
  }
  if (Object.keys(sha256).length === 0) throw new RunnerError('invalid', `runner release ${version}: no Linux tarball with a known SHA-256`);
  return { version, sha256 };
}
