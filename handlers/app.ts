import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Log } from './log/logger.ts';

export interface AppParts {
  readonly log: Log;
  /** Mounted in order; each router brings its own paths (`/webhook`, `/steps/*`, …). */
  readonly routers: readonly Router[];
  /** `GET /healthz` answers 200 only once this says ready. */
  readonly isReady: () => boolean;
}

/** Body-parser errors carry the status to answer: 413 for an oversized body, 400 for a broken one. */
function bodyErrorHandler(log: Log): ErrorRequestHandler {
  return (error: { status?: number; type?: string }, request, response, next) => {
    if (response.headersSent) return next(error);
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    const reason = status === 413 ? 'body too large' : status === 500 ? 'internal error' : 'unreadable body';
    log.warn({ path: request.path, status, type: error.type }, 'request refused');
    response.status(status).json({ decision: 'reject', reason });
  };
}

export function buildApp(parts: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/healthz', (_request, response) => {
    const ready = parts.isReady();
    response.status(ready ? 200 : 503).json({ ready });
  });
  for (const router of parts.routers) app.use(router);
  app.use(bodyErrorHandler(parts.log));
  return app;
}
