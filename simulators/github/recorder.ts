import type { Request, RequestHandler, Response } from 'express';
import type { Clock } from '../../handlers/clock.ts';
import { isoSeconds } from './http.ts';
import type { RecordedRequest } from './types.ts';

/** Every API request received, with the answer; credentials are reduced to their kind. */
export interface Recorder {
  all(): RecordedRequest[];
  clear(): void;
  middleware: RequestHandler;
  /** Marks the current request as answered by a fault. */
  markFaulted(res: Response): void;
}

const ENTRY = Symbol('recorded');

export function createRecorder(clock: Clock): Recorder {
  let entries: RecordedRequest[] = [];
  return {
    all: () => [...entries],
    clear: () => void (entries = []),
    markFaulted(res) {
      const entry = (res.locals as Record<symbol, RecordedRequest | undefined>)[ENTRY];
      if (entry !== undefined) entry.faulted = true;
    },
    middleware(req, res, next) {
      const entry = newEntry(req, clock);
      entries.push(entry);
      (res.locals as Record<symbol, RecordedRequest>)[ENTRY] = entry;
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        entry.responseBody = body;
        return json(body);
      };
      res.on('finish', () => {
        entry.status = res.statusCode;
        entry.body = req.body ?? null; // parsed after this middleware ran
      });
      next();
    },
  };
}

function newEntry(req: Request, clock: Clock): RecordedRequest {
  const query = Object.fromEntries(Object.entries(req.query as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  return {
    at: isoSeconds(clock.now()),
    method: req.method,
    path: req.path,
    query,
    auth: authKind(req.headers.authorization),
    body: null,
    status: 0,
    responseBody: null,
    faulted: false,
  };
}

/** An App JWT starts with a base64url JSON header (`eyJ`); anything else is a token. */
export function authKind(header: string | undefined): RecordedRequest['auth'] {
  const credential = header?.split(' ')[1];
  if (credential === undefined || credential === '') return 'none';
  return credential.startsWith('eyJ') ? 'jwt' : 'token';
}
