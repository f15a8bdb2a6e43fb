import { randomBytes } from 'node:crypto';
import type { Clock } from '../../handlers/clock.ts';

/** Installation tokens live one hour on GitHub. */
const TOKEN_LIFETIME_MS = 60 * 60 * 1000;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface TokenStore {
  mint(installationId: number): { token: string; expiresAt: string };
  /** The installation a live token belongs to; `null` for unknown or expired tokens. */
  installationOf(token: string): number | null;
  /** How many tokens were minted: tests assert the client's cache works. */
  minted(): number;
  /** Expire every token now (as an App key rotation would). */
  revokeAll(): void;
}

export function createTokenStore(clock: Clock): TokenStore {
  const tokens = new Map<string, { installationId: number; expiresAtMs: number }>();
  let count = 0;
  return {
    mint(installationId) {
      const token = `ghs_${randomText(36)}`;
      const expiresAtMs = clock.now() + TOKEN_LIFETIME_MS;
      tokens.set(token, { installationId, expiresAtMs });
      count += 1;
      return { token, expiresAt: new Date(expiresAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    },
    installationOf(token) {
      const entry = tokens.get(token);
      return entry !== undefined && entry.expiresAtMs > clock.now() ? entry.installationId : null;
    },
    minted: () => count,
    revokeAll: () => tokens.clear(),
  };
}

function randomText(length: number): string {
  return [...randomBytes(length)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}
