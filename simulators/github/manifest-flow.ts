import { randomBytes } from 'node:crypto';
import type { Clock } from '../../handlers/clock.ts';
import type { OwnerType } from './types.ts';

/** What a manifest asks for, checked as GitHub checks it (the parameters of the manifest doc). */
export interface AppManifest {
  readonly name?: string;
  readonly url: string;
  readonly hook_attributes?: { readonly url: string; readonly active?: boolean };
  readonly redirect_url?: string;
  readonly setup_url?: string;
  readonly description?: string;
  readonly public?: boolean;
  readonly default_events?: readonly string[];
  readonly default_permissions?: Readonly<Record<string, string>>;
}

export interface PendingApp {
  readonly manifest: AppManifest;
  readonly name: string;
  readonly owner: { readonly login: string; readonly type: OwnerType };
  readonly createdAt: number;
}

/** https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest: "within one hour". */
const CODE_LIFETIME_MS = 60 * 60 * 1000;
const KNOWN_KEYS = new Set(['name', 'url', 'hook_attributes', 'redirect_url', 'callback_urls', 'setup_url', 'description', 'public', 'default_events', 'default_permissions', 'request_oauth_on_install', 'setup_on_update']);
const LEVELS = new Set(['read', 'write', 'admin']);

/** The manifest's problems, or the manifest; `url` is required, so is `hook_attributes.url` when given. */
export function checkManifest(text: unknown): AppManifest | string {
  let value: unknown;
  try {
    value = typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    return 'manifest is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'manifest must be a JSON object';
  const manifest = value as Record<string, unknown>;
  const unknown = Object.keys(manifest).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) return `unknown manifest keys: ${unknown.join(', ')}`;
  if (typeof manifest['url'] !== 'string' || !/^https?:\/\//.test(manifest['url'])) return 'url is required';
  const hook = manifest['hook_attributes'] as { url?: unknown } | undefined;
  if (hook !== undefined && (typeof hook.url !== 'string' || !/^https?:\/\//.test(hook.url))) return 'hook_attributes.url is required';
  const permissions = (manifest['default_permissions'] ?? {}) as Record<string, unknown>;
  if (Object.values(permissions).some((level) => typeof level !== 'string' || !LEVELS.has(level))) return 'default_permissions values are read, write or admin';
  if (typeof manifest['name'] === 'string' && manifest['name'].length > 34) return 'name is too long (maximum is 34 characters)';
  return manifest as unknown as AppManifest;
}

/** One-time codes handed back to `redirect_url`, exchanged once within the hour. */
export function createManifestCodes(clock: Clock) {
  const pending = new Map<string, PendingApp>();
  return {
    issue(app: Omit<PendingApp, 'createdAt'>): string {
      const code = randomBytes(20).toString('hex');
      pending.set(code, { ...app, createdAt: clock.now() });
      return code;
    },
    redeem(code: string): PendingApp | null {
      const app = pending.get(code);
      pending.delete(code);
      return app !== undefined && clock.now() - app.createdAt <= CODE_LIFETIME_MS ? app : null;
    },
  };
}

export type ManifestCodes = ReturnType<typeof createManifestCodes>;
