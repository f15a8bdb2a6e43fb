import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { requireAppJwt, requireInstallationToken } from './auth.ts';
import type { SimContext } from './context.ts';
import type { GitHubSimulatorControl } from './control.ts';
import { sendError } from './http.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { appRoutes } from './routes/app-routes.ts';
import { deliveryRoutes } from './routes/delivery-routes.ts';
import { installationRoutes } from './routes/installation-routes.ts';
import { jobRoutes } from './routes/job-routes.ts';
import { manifestRoutes } from './routes/manifest-routes.ts';
import { releaseRoutes } from './routes/release-routes.ts';
import { runnerRoutes } from './routes/runner-routes.ts';

/** The paths GitHub authenticates with the App JWT rather than an installation token. */
const APP_AUTH_PATHS = /^\/(app(\/|$)|(repos\/[^/]+\/[^/]+|orgs\/[^/]+|users\/[^/]+)\/installation$)/;
/** Public data GitHub also serves without credentials; a credential that is sent must still be good. */
const PUBLIC_READ_PATHS = /^\/repos\/[^/]+\/[^/]+\/releases\/latest$/;

/** Order matters: admin routes are neither recorded nor faulted; faults answer before auth. */
export function createSimulatorApp(ctx: SimContext, control: GitHubSimulatorControl): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(dateFromClock(ctx));
  app.use(express.json({ limit: '1mb' }));
  app.use(adminRoutes(ctx, control));
  app.use(ctx.recorder.middleware);
  app.use(ctx.faults.middleware);
  // The code is the credential: no App JWT, no token.
  app.use(manifestRoutes(ctx));
  const appJwt = requireAppJwt(ctx);
  const installationToken = requireInstallationToken(ctx);
  app.use((req, res, next) => {
    if (PUBLIC_READ_PATHS.test(req.path) && req.method === 'GET' && req.headers.authorization === undefined) return next();
    (APP_AUTH_PATHS.test(req.path) ? appJwt : installationToken)(req, res, next);
  });
  app.use(releaseRoutes(ctx), appRoutes(ctx), deliveryRoutes(ctx), runnerRoutes(ctx), jobRoutes(ctx), installationRoutes(ctx));
  app.use((_req, res) => sendError(res, 404, 'Not Found'));
  app.use(errorHandler);
  return app;
}

/** GitHub's Date header is what @octokit/auth-app reads to correct a skewed clock. */
function dateFromClock(ctx: SimContext): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('date', new Date(ctx.clock.now()).toUTCString());
    next();
  };
}

const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const parseError = (error as { type?: unknown }).type === 'entity.parse.failed';
  if (parseError) return sendError(res, 400, 'Problems parsing JSON');
  sendError(res, 500, 'Server Error');
};
