import type { AppCredentials, CredentialSource } from './app-credentials.ts';
import { parseCredentials } from './app-credentials.ts';

export interface StoredCredentialsDeps {
  /** Reads the stored document; throws (e.g. ENOENT) when there is none yet. */
  readonly read: () => Promise<string>;
  readonly now: () => number;
}

/**
 * Once configured, re-read at most every 60 s: another instance's /setup (a replaced App) reaches
 * this one within a minute. Until then, every 2 s, so the first job after setup finds the App.
 * On Cloud Run each read of a secret volume fetches the secret's latest version.
 */
const CONFIGURED_MAX_AGE_MS = 60_000;
const UNCONFIGURED_MAX_AGE_MS = 2_000;
/** A forced re-read (a signature made with an unknown secret) at most every 5 s: bad signatures cost no more. */
const FRESH_MAX_AGE_MS = 5_000;

/** Credentials read lazily from a store (a file locally, a Secret Manager volume on Cloud Run) and cached. */
export function storedCredentials(deps: StoredCredentialsDeps): CredentialSource {
  let cached: AppCredentials | null = null;
  let readAt = -Infinity;
  let pending: Promise<AppCredentials | null> | null = null;
  const refresh = async (): Promise<AppCredentials | null> => {
    try {
      cached = parseCredentials(await deps.read()) ?? cached;
    } catch {
      // Nothing stored yet (or the volume has no version): keep what we have.
    }
    readAt = deps.now();
    return cached;
  };
  return {
    writable: true,
    current(options) {
      const maxAge = cached === null ? UNCONFIGURED_MAX_AGE_MS : options?.fresh === true ? FRESH_MAX_AGE_MS : CONFIGURED_MAX_AGE_MS;
      if (deps.now() - readAt < maxAge) return Promise.resolve(cached);
      pending ??= refresh().finally(() => (pending = null));
      return pending;
    },
    replaced(credentials) {
      cached = credentials;
      readAt = deps.now();
    },
  };
}
