import { randomBytes } from 'node:crypto';
import type { SimRunner } from './types.ts';

/**
 * The real `encoded_jit_config` is base64 of a JSON object whose `.runner`, `.credentials` and
 * `.credentials_rsaparams` values are themselves base64 JSON files. We keep that shape, so code
 * that peeks at it (or logs it by mistake) meets something as long and secret-looking as the real one.
 */
export function encodeJitConfig(runner: SimRunner, serverUrl: string): string {
  const file = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
  const runnerFile = {
    AgentId: String(runner.id),
    AgentName: runner.name,
    PoolId: String(runner.groupId),
    PoolName: null,
    DisableUpdate: 'True',
    Ephemeral: 'True',
    ServerUrl: serverUrl,
    GitHubUrl: `https://github.com/${runner.scope.repo === undefined ? runner.scope.owner : `${runner.scope.owner}/${runner.scope.repo}`}`,
    WorkFolder: runner.workFolder,
    UseV2Flow: true,
  };
  const credentials = { Scheme: 'OAuth', Data: { clientId: randomBytes(16).toString('hex'), authorizationUrl: `${serverUrl}/_apis/oauth2/token` } };
  const rsaParams = { d: randomBytes(64).toString('base64'), modulus: randomBytes(64).toString('base64'), exponent: 'AQAB' };
  const config = { '.runner': file(runnerFile), '.credentials': file(credentials), '.credentials_rsaparams': file(rsaParams) };
  return Buffer.from(JSON.stringify(config)).toString('base64');
}

/** The runner id inside a JIT config, or `null` when the text is not one of ours. */
export function runnerIdOf(encodedJitConfig: string): number | null {
  try {
    const config = JSON.parse(Buffer.from(encodedJitConfig, 'base64').toString('utf8')) as Record<string, unknown>;
    const runnerFile = config['.runner'];
    if (typeof runnerFile !== 'string') return null;
    const runner = JSON.parse(Buffer.from(runnerFile, 'base64').toString('utf8')) as { AgentId?: unknown };
    const id = Number(runner.AgentId);
    return Number.isSafeInteger(id) ? id : null;
  } catch {
    return null;
  }
}
