import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { SimContext } from '../context.ts';
import type { GitHubSimulatorControl } from '../control.ts';
import { positiveInt, text } from '../http.ts';
import { runnerJson } from '../runner-registry.ts';
import type { Conclusion, FaultSpec, OwnerType, SimJob, SimRunner } from '../types.ts';
import { workflowJobJson } from '../workflow-job-payload.ts';
import { deliveryItem } from './delivery-routes.ts';

/**
 * `/_sim/…`: the control API over HTTP, so a CLI or a demo can drive the world. Unauthenticated:
 * the simulator listens on 127.0.0.1 only. Errors answer 400 with the reason.
 */
export function adminRoutes(ctx: SimContext, control: GitHubSimulatorControl): Router {
  const router = Router();
  const job = (j: SimJob) => workflowJobJson(j, ctx.apiUrl());
  const runner = (r: SimRunner) => ({ ...runnerJson(r), scope: r.scope, connected: r.connected });
  router.get('/_sim/state', (_req, res) => {
    const installations = ctx.accounts.all();
    const deliveries = control.deliveries().map(deliveryItem);
    const state = { appId: ctx.appId, url: ctx.apiUrl(), installations, runners: control.runners().map(runner), deliveries };
    res.json({ ...state, jobs: control.jobs().map(job), faults: control.pendingFaults(), tokensMinted: control.tokensMinted() });
  });
  router.post('/_sim/installations', handle(201, (req) => control.install(need(req, 'owner'), ownerType(req))));
  router.post('/_sim/jobs', handle(201, async (req) => job(await control.createJob(jobInput(req)))));
  router.post('/_sim/jobs/:id/complete', handle(200, async (req) => job(await control.completeJob(idOf(req), conclusionOf(req)))));
  router.post('/_sim/jobs/:id/cancel', handle(200, async (req) => job(await control.cancelJob(idOf(req)))));
  router.post('/_sim/runners/connect', handle(200, async (req) => {
    const result = await control.runnerConnect(need(req, 'encodedJitConfig'));
    return { runner: runner(result.runner), job: result.job === null ? null : job(result.job) };
  }));
  router.post('/_sim/deliveries/:id/redeliver', handle(200, async (req) => deliveryItem(await control.redeliver(idOf(req)))));
  router.post('/_sim/faults', handle(201, (req) => control.fail(req.body as FaultSpec)));
  router.get('/_sim/faults', (_req, res) => void res.json(control.pendingFaults()));
  router.delete('/_sim/faults', handle(204, () => control.clearFaults()));
  router.get('/_sim/requests', (_req, res) => void res.json(control.requests()));
  router.delete('/_sim/requests', handle(204, () => control.clearRequests()));
  router.put('/_sim/webhook', handle(204, (req) => control.setWebhookUrl(text(body(req)['url']))));
  router.put('/_sim/auto-run', handle(204, (req) => control.setAutoRun(numberOrUndefined(body(req)['afterMs']))));
  router.post('/_sim/tokens/revoke', handle(204, () => control.revokeTokens()));
  return router;
}

function handle(status: number, action: (req: Request) => unknown): RequestHandler {
  return async (req: Request, res: Response) => {
    try {
      const result = await action(req);
      if (status === 204 || result === undefined) res.status(status === 201 ? 201 : 204).end();
      else res.status(status).json(result);
    } catch (error) {
      res.status(400).json({ message: error instanceof Error ? error.message : String(error) });
    }
  };
}

function body(req: Request): Record<string, unknown> {
  return typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
}

function need(req: Request, field: string): string {
  const value = text(body(req)[field]);
  if (value === undefined || value === '') throw new Error(`"${field}" is required`);
  return value;
}

function ownerType(req: Request): OwnerType | undefined {
  const value = body(req)['ownerType'];
  if (value === undefined || value === 'Organization' || value === 'User') return value;
  throw new Error('"ownerType" is Organization or User');
}

function jobInput(req: Request) {
  const labels = body(req)['labels'];
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) throw new Error('"labels" is a list of strings');
  const type = ownerType(req);
  const isPrivate = body(req)['private'];
  return {
    owner: need(req, 'owner'),
    repo: need(req, 'repo'),
    labels: labels as string[],
    ...(type === undefined ? {} : { ownerType: type }),
    ...(typeof isPrivate === 'boolean' ? { private: isPrivate } : {}),
  };
}

function idOf(req: Request): number {
  const id = positiveInt(req.params['id']);
  if (id === undefined) throw new Error('the id is a positive integer');
  return id;
}

function conclusionOf(req: Request): Conclusion | undefined {
  return text(body(req)['conclusion']) as Conclusion | undefined;
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
