import { Router, type Request } from 'express';
import type { SimContext } from '../context.ts';
import { positiveInt, sendError, text } from '../http.ts';
import type { Delivery } from '../types.ts';

/** The App's webhook deliveries (App JWT), newest first with cursor pagination as on GitHub. */
export function deliveryRoutes(ctx: SimContext): Router {
  const router = Router();
  router.get('/app/hook/deliveries', (req, res) => {
    const perPage = Math.min(positiveInt(req.query['per_page']) ?? 30, 100);
    const newestFirst = ctx.deliveries.all().reverse().filter(statusFilter(req));
    const start = startOf(newestFirst, text(req.query['cursor']));
    const page = newestFirst.slice(start, start + perPage);
    const next = newestFirst[start + perPage];
    if (next !== undefined) res.set('link', `<${nextUrl(ctx, req, perPage, next)}>; rel="next"`);
    res.json(page.map(deliveryItem));
  });
  router.get('/app/hook/deliveries/:id', (req, res) => {
    const delivery = ctx.deliveries.get(Number(req.params['id']));
    if (delivery === undefined) return sendError(res, 404, 'Not Found');
    res.json(deliveryDetail(delivery));
  });
  router.post('/app/hook/deliveries/:id/attempts', (req, res) => {
    const id = Number(req.params['id']);
    if (ctx.deliveries.get(id) === undefined) return sendError(res, 404, 'Not Found');
    // GitHub answers 202 and delivers later; `settled()` lets tests wait for the attempt.
    void ctx.deliveries.redeliver(id);
    res.status(202).json({});
  });
  return router;
}

/** `status=success|failure`, as GitHub's list filter. */
function statusFilter(req: Request): (delivery: Delivery) => boolean {
  const wanted = text(req.query['status']);
  if (wanted === 'success') return (d) => d.status === 'OK';
  if (wanted === 'failure') return (d) => d.status !== 'OK';
  return () => true;
}

/** Cursors look like GitHub's (`v1_<id>`) and point at the first delivery of the page. */
function startOf(deliveries: Delivery[], cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const index = deliveries.findIndex((d) => `v1_${d.id}` === cursor);
  return index === -1 ? deliveries.length : index;
}

function nextUrl(ctx: SimContext, req: Request, perPage: number, next: Delivery): string {
  const params = new URLSearchParams({ per_page: String(perPage), cursor: `v1_${next.id}` });
  const status = text(req.query['status']);
  if (status !== undefined) params.set('status', status);
  return `${ctx.apiUrl()}${req.path}?${params.toString()}`;
}

export function deliveryItem(delivery: Delivery): Record<string, unknown> {
  return {
    id: delivery.id,
    guid: delivery.guid,
    delivered_at: delivery.deliveredAt,
    redelivery: delivery.redelivery,
    duration: delivery.durationSeconds,
    status: delivery.status,
    status_code: delivery.statusCode,
    event: delivery.event,
    action: delivery.action,
    installation_id: delivery.installationId,
    repository_id: delivery.repositoryId,
    throttled_at: null,
  };
}

function deliveryDetail(delivery: Delivery): Record<string, unknown> {
  return {
    ...deliveryItem(delivery),
    url: delivery.url ?? '',
    request: { headers: delivery.requestHeaders, payload: JSON.parse(delivery.body) as unknown },
    response: { headers: delivery.responseHeaders, payload: delivery.responseBody },
  };
}
