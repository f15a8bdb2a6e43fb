import { Router } from 'express';
import { accountInScope } from '../auth.ts';
import type { SimContext } from '../context.ts';
import { positiveInt, sendError, text } from '../http.ts';
import { RerunRefused } from '../job-world.ts';
import { workflowJobJson } from '../workflow-job-payload.ts';

/** `GET /repos/{owner}/{repo}/actions/jobs/{job_id}` and `POST …/rerun`, with an installation token. */
export function jobRoutes(ctx: SimContext): Router {
  const router = Router();
  router.get('/repos/:owner/:repo/actions/jobs/:job_id', (req, res) => {
    const owner = text(req.params['owner']) ?? '';
    if (accountInScope(ctx, res, owner, false) === null) return;
    const job = ctx.jobs.get(positiveInt(req.params['job_id']) ?? 0);
    const sameRepo = job !== undefined && `${job.owner}/${job.repo}`.toLowerCase() === `${owner}/${text(req.params['repo'])}`.toLowerCase();
    if (!sameRepo) return sendError(res, 404, 'Not Found');
    res.json(workflowJobJson(job, ctx.apiUrl()));
  });
  router.post('/repos/:owner/:repo/actions/jobs/:job_id/rerun', async (req, res) => {
    const owner = text(req.params['owner']) ?? '';
    if (accountInScope(ctx, res, owner, false) === null) return;
    const job = ctx.jobs.get(positiveInt(req.params['job_id']) ?? 0);
    if (job === undefined || `${job.owner}/${job.repo}`.toLowerCase() !== `${owner}/${text(req.params['repo'])}`.toLowerCase()) return sendError(res, 404, 'Not Found');
    try {
      await ctx.jobs.rerunJob(job.id);
      res.status(201).json({});
    } catch (error) {
      if (!(error instanceof RerunRefused)) throw error;
      sendError(res, 403, 'This job cannot be rerun at this time.');
    }
  });
  return router;
}
