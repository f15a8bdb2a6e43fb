import { Router, type Request, type Response } from 'express';
import { accountInScope } from '../auth.ts';
import type { SimContext } from '../context.ts';
import { positiveInt, sendError, text } from '../http.ts';
import { encodeJitConfig } from '../jit-config.ts';
import { runnerJson } from '../runner-registry.ts';
import type { SimRunner, SimScope } from '../types.ts';
import { validateJitBody } from './validate-jit-body.ts';

/** Self-hosted runner routes, each at org level and repository level. */
export function runnerRoutes(ctx: SimContext): Router {
  const router = Router();
  for (const base of ['/orgs/:org/actions/runners', '/repos/:owner/:repo/actions/runners']) {
    router.post(`${base}/generate-jitconfig`, (req, res) => generateJitConfig(ctx, req, res));
    router.get(base, (req, res) => listRunners(ctx, req, res));
    router.get(`${base}/:runner_id`, (req, res) => withRunner(ctx, req, res, (runner) => res.json(runnerJson(runner))));
    router.delete(`${base}/:runner_id`, (req, res) => withRunner(ctx, req, res, (runner) => deleteRunner(ctx, res, runner)));
  }
  return router;
}

function scopeOf(ctx: SimContext, req: Request, res: Response): SimScope | null {
  const org = text(req.params['org']);
  if (org !== undefined) return accountInScope(ctx, res, org, true) === null ? null : { owner: org };
  const owner = text(req.params['owner']) ?? '';
  const repo = text(req.params['repo']) ?? '';
  return accountInScope(ctx, res, owner, false) === null ? null : { owner, repo };
}

function generateJitConfig(ctx: SimContext, req: Request, res: Response): void {
  const scope = scopeOf(ctx, req, res);
  if (scope === null) return;
  const body = validateJitBody(req.body);
  if (typeof body === 'string') return sendError(res, 422, body);
  const runner = ctx.runners.register(scope, body);
  if (runner === 'exists') return sendError(res, 409, `Already exists - A runner with the name ${body.name} already exists.`);
  res.status(201).json({ runner: runnerJson(runner), encoded_jit_config: encodeJitConfig(runner, ctx.apiUrl()) });
}

/** GitHub's default page size is 30 and its maximum 100; `name` is an exact filter. */
function listRunners(ctx: SimContext, req: Request, res: Response): void {
  const scope = scopeOf(ctx, req, res);
  if (scope === null) return;
  const perPage = Math.min(positiveInt(req.query['per_page']) ?? 30, 100);
  const page = positiveInt(req.query['page']) ?? 1;
  const name = text(req.query['name']);
  const matching = ctx.runners.inScope(scope).filter((r) => name === undefined || r.name === name);
  const lastPage = Math.max(1, Math.ceil(matching.length / perPage));
  const link = pageLinks(ctx.apiUrl() + req.path, req.query as Record<string, unknown>, page, lastPage);
  if (link !== '') res.set('link', link);
  const runners = matching.slice((page - 1) * perPage, page * perPage).map(runnerJson);
  res.json({ total_count: matching.length, runners });
}

function pageLinks(base: string, query: Record<string, unknown>, page: number, lastPage: number): string {
  const at = (n: number, rel: string) => {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    params.set('page', String(n));
    return `<${base}?${params.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(at(page - 1, 'prev'), at(1, 'first'));
  if (page < lastPage) links.push(at(page + 1, 'next'), at(lastPage, 'last'));
  return links.join(', ');
}

function withRunner(ctx: SimContext, req: Request, res: Response, then: (runner: SimRunner) => void): void {
  const scope = scopeOf(ctx, req, res);
  if (scope === null) return;
  const id = positiveInt(req.params['runner_id']);
  const found = id === undefined ? undefined : ctx.runners.inScope(scope).find((r) => r.id === id);
  if (found === undefined) return sendError(res, 404, 'Not Found');
  then(found);
}

/** A runner still running a job cannot be removed: GitHub answers 422. */
function deleteRunner(ctx: SimContext, res: Response, runner: SimRunner): void {
  if (runner.busy) return sendError(res, 422, `Bad request - Runner "${runner.name}" is still running a job"`);
  ctx.runners.remove(runner.id);
  res.status(204).end();
}
