import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Log } from '../log/logger.ts';

export interface AppJwt {
  readonly jwt: string;
  readonly expiresAt: string;
}

/**
 * GitHub refuses an App JWT whose `exp` is more than 10 minutes after `iat`; `iat` is set 30 s in
 * the past, as @octokit/auth-app's signer does, for a GitHub clock slightly behind ours.
 * https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
 */
const lifetimeSeconds = 10 * 60;
const backdateSeconds = 30;
/**
 * One JWT serves every App call for 5 minutes: the last call made with it still has 4.5 minutes
 * before `exp`, room for a 30 s request and minutes of clock difference.
 */
const reuseMs = 5 * 60_000;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The App's JWT (RS256), for @octokit/auth-app's `createJwt`: signed once per 5 minutes instead of
 * on every call that needs one (auth-app's own signer imports the key and signs, ~1 ms of CPU,
 * each time it mints an installation token or authenticates an `/app` call, and minting is asked
 * again on every call while GitHub refuses it). The key is parsed on first use, so a bad one fails
 * the call that needs it, as before. Asked with a time difference (auth-app's correction after
 * GitHub said our clock is off), it signs for that clock and keeps that one.
 */
export function createAppJwtSigner(options: { appId: number | string; privateKey: string; clock: Clock; log: Log }) {
  let key: KeyObject | undefined;
  let cached: (AppJwt & { signedAt: number; timeDifference: number }) | undefined;
  return async (_appId: number | string, timeDifference = 0): Promise<AppJwt> => {
    const now = options.clock.now();
    if (cached && cached.timeDifference === timeDifference && now - cached.signedAt < reuseMs && now >= cached.signedAt) return cached;
    // Keys kept in an environment variable often carry their line breaks as `\n` (auth-app accepts them too).
    key ??= createPrivateKey(options.privateKey.replace(/\\n/g, '\n'));
    const iat = Math.floor(now / 1000) + timeDifference - backdateSeconds;
    const exp = iat + lifetimeSeconds;
    const message = `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url({ iat, exp, iss: options.appId })}`;
    const jwt = `${message}.${sign('sha256', Buffer.from(message), key).toString('base64url')}`;
    cached = { jwt, expiresAt: new Date(exp * 1000).toISOString(), signedAt: now, timeDifference };
    options.log.debug({ component: 'auth-app', expiresAt: cached.expiresAt }, 'signed an App JWT');
    return cached;
  };
}
