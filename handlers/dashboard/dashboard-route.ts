import express, { type Router } from 'express';
import type { Log } from '../log/logger.ts';
import { readFleetView, type DashboardDeps } from './fleet-view.ts';
import { metricSummaries } from './metric-summaries.ts';
import { prometheusText } from './prometheus-text.ts';
import { renderPage } from './render-page.ts';
import { rerunExecution } from './rerun-execution.ts';

/**
 * `GET /` (the local dashboard), `GET /metrics` (Prometheus text) and the re-run button's
 * `POST /dashboard/executions/:id/rerun`. Mounted only where the embedded engine runs, never in the
 * public webhook role (see build-routes.ts).
 */
export function dashboardRoute(deps: DashboardDeps & { readonly log: Log }): Router {
  const router = express.Router();
  router.get('/', async (_request, response, next) => {
    try {
      const view = await readFleetView(deps);
      response.type('html').send(renderPage(view, metricSummaries(deps.metrics, view.now)));
    } catch (error) {
      next(error);
    }
  });
  router.get('/metrics', async (_request, response, next) => {
    try {
      response.type('text/plain; version=0.0.4; charset=utf-8').send(prometheusText(deps.metrics, await readFleetView(deps)));
    } catch (error) {
      next(error);
    }
  });
  router.post('/dashboard/executions/:id/rerun', (request, response) => {
    // A page of another site must not press the button through the browser (a form POST needs no CORS).
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== 'null' && new URL(origin).host !== request.headers.host) {
      response.status(403).type('text').send('cross-origin re-run refused');
      return;
    }
    const outcome = rerunExecution(deps.engine, deps.runnerWorkflowId, String(request.params['id']));
    if ('error' in outcome) {
      response.status(outcome.status).type('text').send(outcome.error);
      return;
    }
    deps.log.info({ executionId: request.params['id'], rerun: outcome.executionId }, 're-run from the dashboard');
    response.redirect(303, '/');
  });
  return router;
}
