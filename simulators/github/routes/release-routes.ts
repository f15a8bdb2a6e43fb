import { Router } from 'express';
import type { SimContext } from '../context.ts';
import { sendError } from '../http.ts';

/**
 * `GET /repos/{owner}/{repo}/releases/latest`
 * (https://docs.github.com/rest/releases/releases#get-the-latest-release). Only actions/runner has
 * releases here; any other repository answers 404 as a repository without releases does.
 */
export function releaseRoutes(ctx: SimContext): Router {
  const router = Router();
  router.get('/repos/:owner/:repo/releases/latest', (req, res) => {
    const isRunner = String(req.params['owner']).toLowerCase() === 'actions' && String(req.params['repo']).toLowerCase() === 'runner';
    const release = isRunner ? ctx.runnerReleases.latestJson(ctx.apiUrl()) : null;
    if (release === null) return sendError(res, 404, 'Not Found');
    res.json(release);
  });
  return router;
}
