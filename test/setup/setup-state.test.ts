import test from 'ava';
import { createSetupState, stateMatches, tokenMatches } from '../../handlers/setup/setup-state.ts';

const token = 'a-setup-token-of-thirty-two-chars';
const now = 1_700_000_000_000;

test('the setup token matches only itself', (t) => {
  t.true(tokenMatches(token, token));
  t.true(tokenMatches(` ${token}\n`, token)); // pasted with whitespace
  t.false(tokenMatches(token.slice(1), token));
  t.false(tokenMatches('', token));
  t.false(tokenMatches(undefined, token));
});

test('a state is accepted with the nonce of the browser that started the setup, within the hour', (t) => {
  const { nonce, state } = createSetupState(token, now);
  t.true(stateMatches(token, state, nonce, now + 59 * 60_000));
  t.false(stateMatches(token, state, nonce, now + 61 * 60_000));
});

test('another browser (another nonce), another token or a forged state is refused', (t) => {
  const { nonce, state } = createSetupState(token, now);
  const other = createSetupState(token, now);
  t.false(stateMatches(token, state, other.nonce, now));
  t.false(stateMatches(`${token}x`, state, nonce, now));
  t.false(stateMatches(token, `${now + 3_600_000}.forged`, nonce, now));
  t.false(stateMatches(token, state, undefined, now));
  t.false(stateMatches(token, [state], nonce, now));
});
