import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { applyFieldMask } from './field-mask.ts';
import { GoogleApiError, invalidPayload } from './google-error.ts';
import { aggregatedListInstances, getInstance, listInstances } from './sim-read.ts';
import { deleteInstance } from './sim-delete.ts';
import { insertInstance } from './sim-insert.ts';
import { getOperation, waitOperation } from './sim-operations.ts';
import type { Json, RecordedCall, SimCall } from './sim-types.ts';
import type { SimWorld } from './sim-world.ts';

type Params = Record<string, string>;
type Handler = (params: Params, query: Record<string, string>, body: unknown) => Json | Promise<Json>;

/** An insert body holds metadata up to 512 KB; 2 MB leaves room for the rest. */
const maxBodyBytes = '2mb';

function queryOf(request: Request): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.query as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') query[key] = first;
  }
  return query;
}

/**
 * The Compute v1 REST surface the client library calls (paths observed from @google-cloud/compute
 * 7.8 with `fallback: true`). Every call is recorded before it is answered; failures answer in
 * Google's error shape.
 */
export function computeRoutes(world: SimWorld, record: (call: RecordedCall) => void): Router {
  const router = express.Router();
  // The library sends JSON `""` as the body of `wait`: not an object, so strict parsing would refuse it.
  router.use(express.json({ strict: false, limit: maxBodyBytes }));
  const route = (call: SimCall, handler: Handler) => async (request: Request, response: Response): Promise<void> => {
    const query = queryOf(request);
    record({ call, method: request.method, path: request.path, query, body: request.body as unknown, at: world.clock.now() });
    world.log?.debug({ call, method: request.method, path: request.path }, 'compute simulator call');
    try {
      // Partial responses: the `fields` system parameter, or its header form X-Goog-FieldMask.
      const mask = query['fields'] ?? request.get('x-goog-fieldmask');
      response.status(200).json(applyFieldMask(await handler(request.params as Params, query, request.body as unknown), mask));
    } catch (error) {
      sendError(world, response, error);
    }
  };
  const base = '/compute/v1/projects/:project';
  router.post(`${base}/zones/:zone/instances`, route('insert', (p, q, body) => insertInstance(world, p['project']!, p['zone']!, q['requestId'], body)));
  router.get(`${base}/zones/:zone/instances`, route('list', (p, q) => listInstances(world, p['project']!, p['zone']!, q)));
  router.get(`${base}/zones/:zone/instances/:instance`, route('get', (p) => getInstance(world, p['project']!, p['zone']!, p['instance']!)));
  router.delete(`${base}/zones/:zone/instances/:instance`, route('delete', (p, q) => deleteInstance(world, p['project']!, p['zone']!, p['instance']!, q['requestId'])));
  router.get(`${base}/aggregated/instances`, route('aggregatedList', (p, q) => aggregatedListInstances(world, p['project']!, q)));
  router.get(`${base}/zones/:zone/operations/:operation`, route('operationGet', (p) => getOperation(world, p['project']!, p['zone']!, p['operation']!)));
  router.post(`${base}/zones/:zone/operations/:operation/wait`, route('operationWait', (p) => waitOperation(world, p['project']!, p['zone']!, p['operation']!)));
  router.use((request: Request, response: Response) => {
    record({ call: 'unknown', method: request.method, path: request.path, query: queryOf(request), body: request.body as unknown, at: world.clock.now() });
    sendError(world, response, new GoogleApiError(404, 'notFound', `The compute simulator does not serve ${request.method} ${request.path}`));
  });
  router.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    sendError(world, response, bodyError(error));
  });
  return router;
}

/** A body the JSON parser refused: malformed (400) or too large (413). */
function bodyError(error: unknown): unknown {
  if (error instanceof SyntaxError) return invalidPayload('The body is not JSON.');
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) return new GoogleApiError(status, 'invalid', 'The request body was refused.');
  return error;
}

function sendError(world: SimWorld, response: Response, error: unknown): void {
  const google = error instanceof GoogleApiError ? error : new GoogleApiError(500, 'backendError', 'Internal error in the compute simulator.');
  if (!(error instanceof GoogleApiError)) world.log?.error({ error }, 'compute simulator failed on a call');
  response.status(google.httpStatus).json(google.toJson());
}
