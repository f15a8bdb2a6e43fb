import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { EngineApiError } from './api-error.ts';
import type { EmbeddedEngine } from './engine.ts';
import type { ExecutionView } from './execution-record.ts';

const workflowPath = '/v1/projects/:project/locations/:location/workflows/:workflow';
const executionsPath = `${workflowPath}/executions`;
const executionPath = `${executionsPath}/:execution`;

/**
 * The Workflow Executions REST API v1 over an `EmbeddedEngine`, so the `@google-cloud/workflows`
 * client (REST transport) can be pointed at it, plus the callback endpoints that
 * `events.create_callback_endpoint` hands out. Mount it where `callbackBaseUrl` points.
 */
export function createEngineRouter(engine: EmbeddedEngine): Router {
  const router = express.Router();
  mountCallbacks(router, engine);
  mountExecutions(router, engine);
  router.use('/v1', (_req, res) => notFound(res, 'no such method'));
  router.use(errorHandler);
  return router;
}

function mountCallbacks(router: Router, engine: EmbeddedEngine): void {
  // A callback body is whatever the sender posts: read it as text, decode by its Content-Type.
  const text = express.text({ type: () => true, limit: '1mb' });
  router.all(`${executionPath}/callbacks/:callback`, text, async (req, res) => {
    if (!sameProject(engine, req)) return void notFound(res, 'project or location not served here');
    const status = engine.deliverCallback(param(req, 'execution'), param(req, 'callback'), {
      method: req.method,
      body: decodeBody(req),
      headers: headersOf(req),
      query: queryOf(req),
    });
    // With a store, the 200 promises the callback survives a crash: it is flushed first.
    if (status === 200) await engine.sync();
    if (status === 200) return void res.status(200).json({});
    const error = status === 404
      ? new EngineApiError('NOT_FOUND', 'no active callback endpoint at this URL')
      : new EngineApiError('RESOURCE_EXHAUSTED', 'too many callbacks queued for this endpoint');
    res.status(error.code).json(error.toJSON());
  });
}

function mountExecutions(router: Router, engine: EmbeddedEngine): void {
  const json = express.json({ limit: '1mb' });
  router.post(executionsPath, json, async (req, res) => {
    check(engine, req);
    const argument = (req.body as { argument?: unknown } | undefined)?.argument;
    if (argument !== undefined && typeof argument !== 'string') {
      throw new EngineApiError('INVALID_ARGUMENT', 'argument must be a JSON-encoded string');
    }
    const execution = engine.createExecution(param(req, 'workflow'), argument);
    await engine.sync();
    res.json(execution);
  });

  router.get(executionsPath, (req, res) => {
    check(engine, req);
    res.json({ executions: engine.listExecutions(param(req, 'workflow'), viewOf(req, 'BASIC')) });
  });

  router.get(executionPath, (req, res) => {
    check(engine, req);
    const execution = engine.getExecution(param(req, 'execution'), viewOf(req, 'FULL'));
    if (!execution || !execution.name.includes(`/workflows/${param(req, 'workflow')}/`)) {
      throw new EngineApiError('NOT_FOUND', `execution ${param(req, 'execution')} not found`);
    }
    res.json(execution);
  });

  router.post(executionPath, json, async (req, res) => {
    check(engine, req);
    const [id, action] = param(req, 'execution').split(':');
    if (action !== 'cancel' || id === undefined) throw new EngineApiError('NOT_FOUND', `no method ${action ?? ''}`);
    const execution = engine.cancelExecution(id);
    await engine.sync();
    res.json(execution);
  });

  router.get(`${executionPath}/stepEntries`, (req, res) => {
    check(engine, req);
    const entries = engine.listStepEntries(param(req, 'execution'));
    if (!entries) throw new EngineApiError('NOT_FOUND', `execution ${param(req, 'execution')} not found`);
    res.json({ stepEntries: entries });
  });
}

function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

function sameProject(engine: EmbeddedEngine, req: Request): boolean {
  return param(req, 'project') === engine.projectId && param(req, 'location') === engine.location;
}

function check(engine: EmbeddedEngine, req: Request): void {
  if (!sameProject(engine, req)) throw new EngineApiError('NOT_FOUND', 'project or location not served here');
}

function viewOf(req: Request, fallback: ExecutionView): ExecutionView {
  const view = req.query['view'];
  return view === 'FULL' || view === 'BASIC' ? view : fallback;
}

function notFound(res: Response, message: string): void {
  res.status(404).json(new EngineApiError('NOT_FOUND', message).toJSON());
}

function decodeBody(req: Request): unknown {
  const body = typeof req.body === 'string' ? req.body : '';
  if (body === '') return undefined;
  if (!/json/i.test(req.get('content-type') ?? '')) return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function headersOf(req: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function queryOf(req: Request): Record<string, string[]> {
  const query: Record<string, string[]> = {};
  for (const [key, value] of new URL(req.originalUrl, 'http://engine').searchParams) (query[key] ??= []).push(value);
  return query;
}

function errorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (error instanceof EngineApiError) {
    res.status(error.code).json(error.toJSON());
  } else if ((error as { type?: string }).type === 'entity.parse.failed') {
    res.status(400).json(new EngineApiError('INVALID_ARGUMENT', 'request body is not valid JSON').toJSON());
  } else {
    res.status(500).json({ error: { code: 500, message: 'internal error', status: 'INTERNAL' } });
  }
}
