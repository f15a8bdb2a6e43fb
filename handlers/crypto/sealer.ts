import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { RunnerError } from '../errors.ts';

/**
 * Seals a secret (a JIT config) so that a workflow's state only ever holds ciphertext. AES-256-GCM
 * with the runner name as associated data: a sealed value opens only for the runner it was made for.
 */
export interface Sealer {
  seal(plaintext: string, boundTo: string): string;
  unseal(sealed: string, boundTo: string): string;
}

const version = 'v1';

export function createSealer(key: Buffer): Sealer {
  if (key.length !== 32) throw new Error('seal key must be 32 bytes');
  return {
    seal(plaintext, boundTo) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(boundTo));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [version, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
    },
    unseal(sealed, boundTo) {
      const [tag, iv, ciphertext, authTag] = sealed.split('.');
      if (tag !== version || !iv || !ciphertext || !authTag) throw new RunnerError('invalid', 'sealed value is malformed');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(boundTo));
        decipher.setAuthTag(Buffer.from(authTag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new RunnerError('invalid', `sealed value does not open for runner ${boundTo} (wrong key or runner)`);
      }
    },
  };
}
