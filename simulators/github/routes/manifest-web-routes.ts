import express, { Router, type Request, type Response } from 'express';
import { escapeHtml } from '../../../handlers/setup/setup-pages.ts';
import type { SimContext } from '../context.ts';
import { text } from '../http.ts';
import { checkManifest } from '../manifest-flow.ts';
import type { OwnerType } from '../types.ts';

function html(res: Response, status: number, title: string, body: string): void {
  res.status(status).type('html').send(`<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)} · GitHub (simulated)</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

/**
 * The web half of the manifest flow (https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest):
 * a form POST of `manifest` to `/settings/apps/new` (a user's App) or
 * `/organizations/ORG/settings/apps/new` (an organization's), a page where the signed-in user
 * names and creates the App, then a redirect to `redirect_url` with `code` and the `state` given.
 * Then the App's install page, which sends the browser to its `setup_url` with `installation_id`
 * and `setup_action=install` (https://docs.github.com/apps/creating-github-apps/registering-a-github-app/about-the-setup-url).
 */
export function manifestWebRoutes(ctx: SimContext): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const createApp = (owner: { login: string; type: OwnerType }) => (req: Request, res: Response) => {
    const manifest = checkManifest(text((req.body as Record<string, unknown>)['manifest']));
    if (typeof manifest === 'string') return html(res, 422, 'Invalid GitHub App manifest', `<p>${escapeHtml(manifest)}</p>`);
    if (manifest.redirect_url === undefined) return html(res, 422, 'Invalid GitHub App manifest', '<p>redirect_url is required by this simulator</p>');
    const state = text(req.query['state']);
    const name = text((req.body as Record<string, unknown>)['name']) ?? manifest.name ?? '';
    if ((req.body as Record<string, unknown>)['confirm'] !== 'yes') {
      return html(res, 200, `Create GitHub App for ${owner.login}`, `<form method="post">
<input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(manifest))}"><input type="hidden" name="confirm" value="yes">
<label>GitHub App name <input type="text" name="name" value="${escapeHtml(name)}"></label>
<button type="submit">Create GitHub App for ${escapeHtml(owner.login)}</button></form>`);
    }
    if (name === '' || name.length > 34) return html(res, 422, 'Invalid GitHub App name', '<p>1 to 34 characters</p>');
    const code = ctx.manifestCodes.issue({ manifest, name, owner });
    const back = new URL(manifest.redirect_url);
    back.searchParams.set('code', code);
    if (state !== undefined) back.searchParams.set('state', state);
    res.redirect(302, back.toString());
  };
  router.post('/settings/apps/new', form, (req, res) => createApp({ login: ctx.webUser, type: 'User' })(req, res));
  router.post('/organizations/:org/settings/apps/new', form, (req, res) => createApp({ login: text(req.params['org']) ?? '', type: 'Organization' })(req, res));

  router.get('/apps/:slug/installations/new', (req, res) => {
    if (req.params['slug'] !== ctx.app.slug) return html(res, 404, 'Not Found', '');
    html(res, 200, `Install ${ctx.app.name}`, `<form method="post"><p>Install on ${escapeHtml(ctx.app.owner.login)}, all repositories.</p><button type="submit">Install</button></form>`);
  });
  router.post('/apps/:slug/installations/new', (req, res) => {
    if (req.params['slug'] !== ctx.app.slug) return html(res, 404, 'Not Found', '');
    const account = ctx.accounts.install(ctx.app.owner.login, ctx.app.owner.type);
    if (ctx.app.setupUrl === null) return html(res, 200, 'Installed', `<p>Installation ${account.installationId}</p>`);
    const next = new URL(ctx.app.setupUrl);
    next.searchParams.set('installation_id', String(account.installationId));
    next.searchParams.set('setup_action', 'install');
    res.redirect(302, next.toString());
  });
  return router;
}
