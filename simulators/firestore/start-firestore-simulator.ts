import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DocumentTable, type StoredDocument } from './documents.ts';
import { FirestoreError } from './firestore-error.ts';
import { loadFirestoreProtos } from './proto-check.ts';
import { runMethod, type Database } from './rpc.ts';
import { TransactionTable } from './transactions.ts';

export interface FirestoreSimulatorOptions {
  readonly port?: number;
  readonly project?: string;
  /** The one database that exists; others are 404, as a misconfigured FIRESTORE_DATABASE would be. */
  readonly database?: string;
  /** Firestore expires a transaction idle for 60 s, releasing its locks; tests shorten it. */
  readonly idleExpiryMs?: number;
  readonly now?: () => number;
  /** Added before each answer: Firestore is tens of ms away over the network, which widens every race. */
  readonly latencyMs?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly body: unknown;
  readonly status: number;
}

export interface FirestoreSimulator {
  /** Give it to the service as FIRESTORE_API_ENDPOINT. */
  readonly url: string;
  /** Documents by full resource name. */
  document(name: string): StoredDocument | undefined;
  documentNames(): string[];
  counts(): { readonly commits: number; readonly contended: number; readonly requests: number };
  requests(): RecordedRequest[];
  close(): Promise<void>;
}

const route = /^\/v1\/(projects\/([^/]+)\/databases\/([^/]+))\/documents:([A-Za-z]+)$/;

/** One request's answer: the method's result, or Google's error shape for a FirestoreError. */
async function answer(db: Database, request: IncomingMessage, text: string): Promise<{ status: number; json: unknown; body: unknown; method: string | null }> {
  let body: unknown = undefined;
  let method: string | null = null;
  try {
    const path = new URL(request.url ?? '/', 'http://simulator').pathname;
    const matched = request.method === 'POST' ? route.exec(decodeURIComponent(path)) : null;
    if (!matched) throw new FirestoreError('NOT_FOUND', `no such method: ${request.method} ${path}`);
    if (!request.headers.authorization) throw new FirestoreError('UNAUTHENTICATED', 'Request is missing required authentication credential.');
    if (matched[1] !== db.name) throw new FirestoreError('NOT_FOUND', `The database ${matched[3]} does not exist for project ${matched[2]}`);
    method = matched[4]!;
    try {
      body = JSON.parse(text || '{}');
    } catch {
      throw new FirestoreError('INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    return { status: 200, json: await runMethod(db, method, body), body, method };
  } catch (error) {
    if (!(error instanceof FirestoreError)) throw error;
    return { status: error.httpStatus, json: error.toJson(), body, method };
  }
}

/**
 * Firestore's v1 REST API, as much of it as transactions use (beginTransaction, batchGet, commit,
 * rollback), on 127.0.0.1, for the Node client library with `preferRest`. Bodies are checked
 * against the library's own protos; transactions lock as a PESSIMISTIC database does.
 */
export async function startFirestoreSimulator(options: FirestoreSimulatorOptions = {}): Promise<FirestoreSimulator> {
  const now = options.now ?? Date.now;
  const project = options.project ?? 'local-project';
  const db: Database = {
    name: `projects/${project}/databases/${options.database ?? '(default)'}`,
    documents: new DocumentTable(now),
    transactions: new TransactionTable(now, options.idleExpiryMs ?? 60_000),
    protos: loadFirestoreProtos(),
  };
  const recorded: RecordedRequest[] = [];
  let commits = 0;
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const { status, json, body, method } = await answer(db, request, Buffer.concat(chunks).toString('utf8'));
    if (method === 'commit' && status === 200) commits += 1;
    recorded.push({ method: request.url ?? '', body, status });
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(json));
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 500, message: String(error), status: 'INTERNAL' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    document: (name) => db.documents.get(name),
    documentNames: () => db.documents.names(),
    counts: () => ({ commits, contended: db.transactions.contended, requests: recorded.length }),
    requests: () => [...recorded],
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
