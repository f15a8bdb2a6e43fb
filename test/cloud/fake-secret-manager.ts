import { googleError, startFakeServer, type FakeServer } from './fake-http.ts';

export interface FakeSecretManager extends FakeServer {
  /** Versions added, by secret name (`projects/P/secrets/S`), oldest first, as raw bytes. */
  readonly versions: Map<string, Buffer[]>;
}

/** Secret Manager refuses a payload over 64 KiB (https://cloud.google.com/secret-manager/quotas). */
const MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * Secret Manager v1 `secrets.addVersion` over REST as @google-cloud/secret-manager 6 speaks it with
 * `fallback: true` (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/addVersion):
 * `POST /v1/projects/P/secrets/S:addVersion` with `{payload: {data: base64}}` (proto3 JSON bytes),
 * answering the SecretVersion. Strict: only known secrets, no unknown fields, base64 data.
 */
export async function startFakeSecretManager(secrets: readonly string[]): Promise<FakeSecretManager> {
  const versions = new Map<string, Buffer[]>(secrets.map((name) => [name, []]));
  const server = await startFakeServer((request) => {
    const match = /^\/v1\/(projects\/[^/]+\/secrets\/[^/:]+):addVersion$/.exec(request.path);
    if (request.method !== 'POST' || !match?.[1]) return googleError(404, 'NOT_FOUND', `no route ${request.method} ${request.path}`);
    const stored = versions.get(match[1]);
    if (stored === undefined) return googleError(404, 'NOT_FOUND', `Secret [${match[1]}] not found or has no versions.`);
    const body = JSON.parse(request.body || '{}') as Record<string, unknown>;
    const unknown = Object.keys(body).filter((key) => key !== 'payload');
    const payload = body['payload'] as Record<string, unknown> | undefined;
    const payloadUnknown = Object.keys(payload ?? {}).filter((key) => key !== 'data' && key !== 'dataCrc32c');
    if (unknown.length + payloadUnknown.length > 0) return googleError(400, 'INVALID_ARGUMENT', `Unknown name ${[...unknown, ...payloadUnknown].join(', ')}`);
    const data = payload?.['data'];
    if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return googleError(400, 'INVALID_ARGUMENT', 'payload.data must be base64');
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length === 0 || bytes.length > MAX_PAYLOAD_BYTES) return googleError(400, 'INVALID_ARGUMENT', 'Secret Payload cannot be empty or larger than 64KiB.');
    stored.push(bytes);
    return { status: 200, body: { name: `${match[1]}/versions/${stored.length}`, createTime: new Date().toISOString(), state: 'ENABLED', replicationStatus: { automatic: {} }, etag: `"${stored.length}"` } };
  });
  return { ...server, versions };
}
