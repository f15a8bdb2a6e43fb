import { Router } from 'express';
import type { SimContext } from '../context.ts';
import { positiveInt, sendError } from '../http.ts';
import type { Account } from '../types.ts';
import { repositoryJson } from '../workflow-job-payload.ts';

interface SimRepository {
  readonly owner: string;
  readonly repo: string;
  readonly repoId: number;
  readonly private: boolean;
}

/** Ids for repositories known only from a runner registered on them (no job ever queued there). */
const FIRST_RUNNER_ONLY_REPO_ID = 650_000_001;

/**
 * The repositories of an account, as far as the simulated world knows them: every repository a
 * job was queued in, and every repository a runner is registered on.
 */
export function repositoriesOf(ctx: SimContext, account: Account): SimRepository[] {
  const byName = new Map<string, SimRepository>();
  const mine = (owner: string) => owner.toLowerCase() === account.login.toLowerCase();
  for (const job of ctx.jobs.all()) {
    if (!mine(job.owner)) continue;
    byName.set(job.repo.toLowerCase(), { owner: account.login, repo: job.repo, repoId: job.repoId, private: job.private });
  }
  for (const runner of ctx.runners.all()) {
    const repo = runner.scope.repo;
    if (repo === undefined || !mine(runner.scope.owner) || byName.has(repo.toLowerCase())) continue;
    byName.set(repo.toLowerCase(), { owner: account.login, repo, repoId: FIRST_RUNNER_ONLY_REPO_ID + byName.size, private: true });
  }
  return [...byName.values()].sort((a, b) => a.repoId - b.repoId);
}

/** `GET /installation/repositories` (installation token), paginated with `per_page`/`page` as on GitHub. */
export function installationRoutes(ctx: SimContext): Router {
  const router = Router();
  router.get('/installation/repositories', (req, res) => {
    const account = ctx.accounts.byInstallation(Number(res.locals['installationId']));
    if (account === undefined) return sendError(res, 404, 'Not Found');
    const perPage = Math.min(positiveInt(req.query['per_page']) ?? 30, 100);
    const page = positiveInt(req.query['page']) ?? 1;
    const all = repositoriesOf(ctx, account);
    const repositories = all.slice((page - 1) * perPage, page * perPage).map((repo) => repositoryJson(repo, account, ctx.apiUrl()));
    if (page * perPage < all.length) {
      const next = new URLSearchParams({ per_page: String(perPage), page: String(page + 1) });
      res.set('link', `<${ctx.apiUrl()}${req.path}?${next.toString()}>; rel="next"`);
    }
    res.json({ total_count: all.length, repository_selection: 'all', repositories });
  });
  return router;
}
