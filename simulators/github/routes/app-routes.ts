import { Router, type Response } from 'express';
import type { SimContext } from '../context.ts';
import { sendError, text } from '../http.ts';
import { appPermissions, installationJson } from '../simple-user.ts';
import type { Account } from '../types.ts';

/** Routes authenticated with the App JWT: installation lookups and installation tokens. */
export function appRoutes(ctx: SimContext): Router {
  const router = Router();
  const answer = (res: Response, account: Account | undefined) => {
    if (account === undefined) return sendError(res, 404, 'Not Found');
    res.json(installationJson(account, ctx.appId, ctx.apiUrl(), ctx.startedAt));
  };
  router.get('/app', (_req, res) => void res.json(appJson(ctx)));
  router.get('/app/installations', (_req, res) => {
    res.json(ctx.accounts.all().map((a) => installationJson(a, ctx.appId, ctx.apiUrl(), ctx.startedAt)));
  });
  router.get('/app/installations/:id', (req, res) => answer(res, ctx.accounts.byInstallation(Number(req.params['id']))));
  router.get('/repos/:owner/:repo/installation', (req, res) => answer(res, ctx.accounts.byLogin(text(req.params['owner']) ?? '')));
  router.get('/orgs/:org/installation', (req, res) => {
    const account = ctx.accounts.byLogin(text(req.params['org']) ?? '');
    answer(res, account?.type === 'Organization' ? account : undefined);
  });
  router.get('/users/:username/installation', (req, res) => answer(res, ctx.accounts.byLogin(text(req.params['username']) ?? '')));
  router.post('/app/installations/:id/access_tokens', (req, res) => {
    const account = ctx.accounts.byInstallation(Number(req.params['id']));
    if (account === undefined) return sendError(res, 404, 'Not Found');
    const { token, expiresAt } = ctx.tokens.mint(account.installationId);
    res.status(201).json({ token, expires_at: expiresAt, permissions: appPermissions(account), repository_selection: 'all' });
  });
  return router;
}

function appJson(ctx: SimContext): Record<string, unknown> {
  return {
    id: ctx.appId,
    slug: ctx.app.slug,
    name: ctx.app.name,
    events: ['workflow_job'],
    installations_count: ctx.accounts.all().length,
  };
}
