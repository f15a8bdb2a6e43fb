import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';

/** A fresh App key pair; PKCS#1 like the PEM GitHub hands out for an App. */
export function generateAppKeyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
}

export function publicKeyOf(privateKeyPem: string): KeyObject {
  return createPublicKey(privateKeyPem);
}

/** GitHub's own messages: @octokit/auth-app matches the `exp`/`iat` ones to correct clock skew. */
export const jwtMessages = {
  undecodable: 'A JSON web token could not be decoded',
  expired: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
  tooLong: "'Expiration time' claim ('exp') is too far in the future",
  issuedInFuture: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
} as const;

/** GitHub refuses App JWTs that live longer than 10 minutes. */
const MAX_LIFETIME_SECONDS = 10 * 60;
/** Leeway for a client clock slightly ahead of ours. */
const CLOCK_LEEWAY_SECONDS = 60;

/** `null` when the JWT is a valid RS256 App JWT of `appId` at `nowMs`, else GitHub's message. */
export function checkAppJwt(jwt: string, publicKey: KeyObject, appId: number, nowMs: number): string | null {
  const parts = jwt.split('.');
  const [header, payload, signature] = parts;
  if (parts.length !== 3 || header === undefined || payload === undefined || signature === undefined) {
    return jwtMessages.undecodable;
  }
  const claims = decodeJson(payload);
  const alg = decodeJson(header)?.['alg'];
  const signed = Buffer.from(`${header}.${payload}`);
  const valid = alg === 'RS256' && verify('RSA-SHA256', signed, publicKey, Buffer.from(signature, 'base64url'));
  if (!valid || claims === null || String(claims['iss']) !== String(appId)) return jwtMessages.undecodable;
  const now = Math.floor(nowMs / 1000);
  const { exp, iat } = claims;
  if (typeof iat !== 'number' || iat > now + CLOCK_LEEWAY_SECONDS) return jwtMessages.issuedInFuture;
  if (typeof exp !== 'number' || exp <= now) return jwtMessages.expired;
  if (exp - now > MAX_LIFETIME_SECONDS + CLOCK_LEEWAY_SECONDS || exp - iat > MAX_LIFETIME_SECONDS + CLOCK_LEEWAY_SECONDS) {
    return jwtMessages.tooLong;
  }
  return null;
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
