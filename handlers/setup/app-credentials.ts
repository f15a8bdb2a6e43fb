/** What the App is to this service: its id, its key and its webhook secret, always changed together. */
export interface AppCredentials {
  readonly appId: string;
  /** PEM. */
  readonly privateKey: string;
  readonly webhookSecret: string;
}

/** Where the running service reads the App's credentials from: fixed ones, or a store that /setup fills. */
export interface CredentialSource {
  /**
   * null until an App is configured. `fresh`: read the store again unless it was read in the last
   * few seconds (a webhook signed with a secret we do not know yet: another instance's /setup).
   */
  current(options?: { fresh?: boolean }): Promise<AppCredentials | null>;
  /** Called by /setup once it stored new credentials, so this process uses them at once. */
  replaced(credentials: AppCredentials): void;
  /** true when /setup may replace the credentials (false: they come from environment variables). */
  readonly writable: boolean;
}

/** Credentials given in the environment: fixed for the life of the process. */
export function fixedCredentials(credentials: AppCredentials): CredentialSource {
  return { current: async () => credentials, replaced: () => undefined, writable: false };
}

/** The stored form: one JSON document, so id, key and secret can never be mixed from two Apps. */
export function parseCredentials(text: string): AppCredentials | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { appId, privateKey, webhookSecret } = value as Record<string, unknown>;
  const ok = typeof appId === 'string' && /^\d+$/.test(appId) && typeof privateKey === 'string' && privateKey.includes('PRIVATE KEY') && typeof webhookSecret === 'string' && webhookSecret !== '';
  return ok ? { appId, privateKey, webhookSecret } : null;
}

export function serializeCredentials(credentials: AppCredentials): string {
  const { appId, privateKey, webhookSecret } = credentials;
  return JSON.stringify({ appId, privateKey, webhookSecret });
}
