import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runnerArchs, type RunnerRelease } from './runner-release.ts';

/** Where the last release resolved from GitHub is kept, so that a restart still knows it. */
export interface ReleaseRecord {
  load(): RunnerRelease | null;
  save(release: RunnerRelease): void;
}

/** Kept in memory only: Cloud Run has no disk that outlives the instance. */
export function memoryReleaseRecord(): ReleaseRecord {
  let kept: RunnerRelease | null = null;
  return { load: () => kept, save: (release) => void (kept = release) };
}

const fileName = 'runner-release.json';

function isRelease(value: unknown): value is RunnerRelease {
  const candidate = value as { version?: unknown; sha256?: Record<string, unknown> } | null;
  if (typeof candidate?.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(candidate.version)) return false;
  const sha = candidate.sha256;
  if (typeof sha !== 'object' || sha === null) return false;
  const entries = Object.entries(sha);
  return entries.length > 0 && entries.every(([arch, hex]) => (runnerArchs as readonly string[]).includes(arch) && typeof hex === 'string' && /^[0-9a-f]{64}$/.test(hex));
}

/** `DATA_DIR/runner-release.json`, written whole then renamed, so a crash leaves the old record. */
export function fileReleaseRecord(dataDir: string): ReleaseRecord {
  const path = join(dataDir, fileName);
  return {
    load() {
      try {
        const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
        return isRelease(value) ? { version: value.version, sha256: { ...value.sha256 } } : null;
      } catch {
        return null;
      }
    },
    save(release) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(`${path}.tmp`, `${JSON.stringify(release)}\n`);
      renameSync(`${path}.tmp`, path);
    },
  };
}
