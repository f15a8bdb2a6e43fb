import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A code from GitHub is valid for an hour; a setup that takes longer starts again. */
const STATE_LIFETIME_MS = 60 * 60 * 1000;

function sameText(a: string, b: string): boolean {
  // Digests first: timingSafeEqual needs equal lengths, and a length must not leak either.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** Compares a typed setup token with the configured one in constant time. */
export function tokenMatches(given: unknown, expected: string): boolean {
  return typeof given === 'string' && given !== '' && sameText(given.trim(), expected);
}

/**
 * The manifest flow's CSRF `state`, tied to the browser: a random nonce goes into an HttpOnly
 * cookie, and `state` is an HMAC over it keyed by the setup token, so any instance of the service
 * can check it (Cloud Run may send the return to another instance) and only the browser that
 * entered the token can complete the flow.
 */
export function createSetupState(setupToken: string, now: number): { nonce: string; state: string } {
  const nonce = randomBytes(24).toString('base64url');
  const expires = String(now + STATE_LIFETIME_MS);
  return { nonce, state: `${expires}.${signature(setupToken, nonce, expires)}` };
}

export function stateMatches(setupToken: string, state: unknown, nonce: string | undefined, now: number): boolean {
  if (typeof state !== 'string' || nonce === undefined || nonce === '') return false;
  const [expires, given, extra] = state.split('.');
  if (expires === undefined || given === undefined || extra !== undefined || !/^\d+$/.test(expires)) return false;
  if (Number(expires) < now) return false;
  return sameText(given, signature(setupToken, nonce, expires));
}

function signature(setupToken: string, nonce: string, expires: string): string {
  const key = createHmac('sha256', setupToken).update('google-cloud-github-runner setup state').digest();
  return createHmac('sha256', key).update(`${nonce}.${expires}`).digest('base64url');
}
