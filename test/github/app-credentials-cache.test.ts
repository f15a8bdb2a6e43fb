import test from 'ava';
import { createAppJwtSigner } from '../../handlers/github/app-jwt.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { checkAppJwt, publicKeyOf } from '../../simulators/github/app-jwt.ts';
import { appKey, manualClock, startWorld } from './helpers.ts';

const signed = (logs: ReturnType<typeof createMemoryLogger>) => logs.lines().filter((line) => line['message'] === 'signed an App JWT').length;

test('fifty calls for an installation whose token GitHub refuses (404) sign one App JWT, not one per call', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const gone = { installationId: 999, owner: 'acme', repo: 'api' };
  for (let i = 0; i < 50; i += 1) await t.throwsAsync(world.github.getJob({ ...gone, jobId: i }));
  t.is(world.sim.requests().filter((request) => request.path === '/app/installations/999/access_tokens').length, 50, 'each call asks GitHub again');
  t.is(signed(world.logs), 1);
  await world.github.listInstallations();
  await world.github.listRunners(world.orgScope, '');
  t.is(signed(world.logs), 1, 'App calls and a successful mint use the same JWT');
  t.false(world.logs.text().includes(world.sim.privateKey.split('\n')[1]!));
});

test('one JWT serves for 5 minutes and then a new one is signed; each is valid at GitHub for 4.5 minutes after its last use', async (t) => {
  const clock = manualClock();
  const logs = createMemoryLogger();
  const appId = 4242;
  const sign = createAppJwtSigner({ appId, privateKey: appKey(), clock, log: logs.log });
  const publicKey = publicKeyOf(appKey());
  const first = await sign(appId);
  clock.advance(5 * 60_000 - 1);
  t.is((await sign(appId)).jwt, first.jwt);
  t.is(checkAppJwt(first.jwt, publicKey, appId, clock.now() + 4.5 * 60_000 - 1000), null, 'still valid 4.5 minutes after its last use');
  clock.advance(1);
  const second = await sign(appId);
  t.not(second.jwt, first.jwt);
  t.is(checkAppJwt(second.jwt, publicKey, appId, clock.now()), null);
  t.is(Date.parse(second.expiresAt), Math.floor(clock.now() / 1000) * 1000 + 570_000);
  t.is(signed(logs), 2);
});

test('a private key that cannot be read fails the call that signs, and the error does not carry the key', async (t) => {
  const lines = appKey().trim().split('\n');
  const key = [...lines.slice(0, lines.length / 2), lines.at(-1)!].join('\n'); // its second half lost
  const sign = createAppJwtSigner({ appId: 1, privateKey: key, clock: manualClock(), log: createMemoryLogger().log });
  const error = await t.throwsAsync(sign(1));
  t.false(lines.slice(1, -1).some((line) => `${error.message} ${String(error.stack)}`.includes(line)));
});

test('an installation token is replaced 5 minutes before the expiry GitHub stated, on the client\'s clock', async (t) => {
  const clock = manualClock();
  const world = await startWorld({ clientClock: clock });
  t.teardown(world.close);
  await world.github.listRunners(world.orgScope, '');
  clock.advance(54 * 60_000);
  await world.github.listRunners(world.orgScope, '');
  t.is(world.sim.tokensMinted(), 1);
  clock.advance(62_000); // GitHub states the expiry to the second (the simulator truncates it)
  await world.github.listRunners(world.orgScope, '');
  t.is(world.sim.tokensMinted(), 2);
});
