import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { generateAppKeyPair, publicKeyOf } from '../app-jwt.ts';
import type { SimContext } from '../context.ts';
import { isoSeconds, sendError, text } from '../http.ts';
import type { PendingApp } from '../manifest-flow.ts';
import { simpleUser } from '../simple-user.ts';

const OWNER_ACCOUNT_ID = 9_500_001;

/**
 * `POST /app-manifests/{code}/conversions` (https://docs.github.com/rest/apps/apps#create-a-github-app-from-a-manifest):
 * unauthenticated, the code works once within the hour; answers 201 with the App, its `pem`,
 * `webhook_secret`, `client_id` and `client_secret`. The simulator hosts one App at a time, so the
 * new App replaces the current one: its id, key, secret and webhook URL are what it uses from now on.
 */
export function manifestRoutes(ctx: SimContext): Router {
  const router = Router();
  router.post('/app-manifests/:code/conversions', (req, res) => {
    const pending = ctx.manifestCodes.redeem(text(req.params['code']) ?? '');
    if (pending === null) return sendError(res, 404, 'Not Found');
    res.status(201).json(replaceApp(ctx, pending));
  });
  return router;
}

function replaceApp(ctx: SimContext, pending: PendingApp): Record<string, unknown> {
  const { privateKey } = generateAppKeyPair();
  const app = ctx.app;
  const slug = pending.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  Object.assign(app, {
    id: app.id + 1,
    privateKey,
    publicKey: publicKeyOf(privateKey),
    webhookSecret: randomBytes(20).toString('hex'),
    slug,
    name: pending.name,
    setupUrl: pending.manifest.setup_url ?? null,
    owner: pending.owner,
    permissions: { ...pending.manifest.default_permissions },
    events: [...(pending.manifest.default_events ?? [])],
  });
  const hook = pending.manifest.hook_attributes;
  ctx.setWebhookUrl(hook !== undefined && hook.active !== false ? hook.url : undefined);
  const createdAt = isoSeconds(ctx.clock.now());
  const webUrl = ctx.apiUrl().replace(/\/api\/v3$/, '');
  return {
    id: app.id,
    slug,
    node_id: `A_sim${app.id}`,
    client_id: `Iv23sim${app.id}`,
    owner: simpleUser({ login: pending.owner.login, id: OWNER_ACCOUNT_ID, type: pending.owner.type }, ctx.apiUrl()),
    name: pending.name,
    description: pending.manifest.description ?? null,
    external_url: pending.manifest.url,
    html_url: `${webUrl}/apps/${slug}`,
    created_at: createdAt,
    updated_at: createdAt,
    permissions: app.permissions,
    events: app.events,
    client_secret: randomBytes(20).toString('hex'),
    webhook_secret: app.webhookSecret,
    pem: privateKey,
  };
}
