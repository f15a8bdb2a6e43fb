import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../workflows/engine/clock.ts';
import { EmbeddedEngine } from '../../workflows/engine/engine.ts';
import type { HttpTransport } from '../../workflows/engine/http-transport.ts';
import { DataStore } from '../../workflows/engine/store/data-store.ts';

export interface Received {
  path: string;
  body: string;
}

/**
 * An HTTP server that records every request and answers `{"ok": n}`; a path listed in `hang`
 * gets no answer the first time (the call is in flight when the test "crashes").
 */
export async function startRecordingServer(hang: string[] = []) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => void (body += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url ?? '', body });
      const first = received.filter((entry) => entry.path === request.url).length === 1;
      if (first && hang.includes(request.url ?? '')) return;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ ok: received.length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    paths: () => received.map((entry) => entry.path),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function tempDataDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ghr-replay-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * One "process": a store opened on `dir` and an engine on it. A crash is simulated by dropping
 * it without closing anything and building the next one on the same directory with a new clock;
 * the old clock is never advanced again, so the old engine never runs another step.
 */
export function bootEngine(dir: string, clock: ManualClock, source: string, env: Record<string, string> = {}, http?: HttpTransport) {
  const store = DataStore.open(dir);
  const engine = new EmbeddedEngine({
    callbackBaseUrl: 'http://127.0.0.1:9/engine',
    projectId: 'test-project',
    location: 'local',
    clock,
    store: store.section('engine'),
    ...(http ? { http } : {}),
  });
  engine.deploy('wf', source, 'wf.yaml', env);
  store.compact();
  return { store, engine, clock };
}

export const startMs = Date.UTC(2025, 0, 1);
export const clockAt = (offsetMs: number) => new ManualClock(startMs + offsetMs);
