import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AppCredentials } from './app-credentials.ts';
import { serializeCredentials } from './app-credentials.ts';

/** Where /setup keeps the App it created. */
export interface CredentialWriter {
  write(credentials: AppCredentials): Promise<void>;
}

/**
 * Locally: one file only its owner can read (0600) in a directory only its owner can enter (0700),
 * replaced atomically so a reader never sees half of it.
 */
export function fileCredentialWriter(path: string): CredentialWriter {
  return {
    async write(credentials) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, serializeCredentials(credentials), { mode: 0o600 });
      await chmod(temporary, 0o600); // the umask cannot widen it, but an existing file keeps its mode
      await rename(temporary, path);
    },
  };
}
