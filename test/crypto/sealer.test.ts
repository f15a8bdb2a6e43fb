import { randomBytes } from 'node:crypto';
import test from 'ava';
import { createSealer } from '../../handlers/crypto/sealer.ts';
import { RunnerError } from '../../handlers/errors.ts';

const jit = 'eyJkLmNyZWRlbnRpYWxzIjoiZXhhbXBsZSJ9';

test('a sealed JIT config opens for its runner and shows nothing of the plaintext', (t) => {
  const sealer = createSealer(randomBytes(32));
  const sealed = sealer.seal(jit, 'ghr-linux-1-1');
  t.false(sealed.includes(jit));
  t.regex(sealed, /^v1\./);
  t.is(sealer.unseal(sealed, 'ghr-linux-1-1'), jit);
});

test('a sealed value does not open for another runner, another key, or after tampering', (t) => {
  const sealer = createSealer(randomBytes(32));
  const sealed = sealer.seal(jit, 'ghr-linux-1-1');
  t.throws(() => sealer.unseal(sealed, 'ghr-linux-2-1'), { instanceOf: RunnerError, message: /does not open/ });
  t.throws(() => createSealer(randomBytes(32)).unseal(sealed, 'ghr-linux-1-1'), { instanceOf: RunnerError });
  const parts = sealed.split('.');
  parts[2] = Buffer.from('tampered').toString('base64url');
  t.throws(() => sealer.unseal(parts.join('.'), 'ghr-linux-1-1'), { instanceOf: RunnerError });
  t.throws(() => sealer.unseal('not-sealed', 'ghr-linux-1-1'), { message: /malformed/ });
});

test('sealing twice gives different ciphertexts (fresh nonce)', (t) => {
  const sealer = createSealer(randomBytes(32));
  t.not(sealer.seal(jit, 'r'), sealer.seal(jit, 'r'));
});
