import type { RequestHandler, Response } from 'express';
import { checkAppJwt } from './app-jwt.ts';
import type { SimContext } from './context.ts';
import { sendError } from './http.ts';
import type { Account } from './types.ts';

function credentialOf(header: string | undefined): string | undefined {
  const match = /^(?:bearer|token)\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** `/app/…` routes: an RS256 JWT signed with the App's key, valid now. */
export function requireAppJwt(ctx: SimContext): RequestHandler {
  return (req, res, next) => {
    const jwt = credentialOf(req.headers.authorization);
    if (jwt === undefined) return sendError(res, 401, 'A JSON web token could not be decoded');
    const problem = checkAppJwt(jwt, ctx.publicKey, ctx.appId, ctx.clock.now());
    if (problem !== null) return sendError(res, 401, problem);
    next();
  };
}

/** Everything else: a live installation token; its installation goes to `res.locals`. */
export function requireInstallationToken(ctx: SimContext): RequestHandler {
  return (req, res, next) => {
    const token = credentialOf(req.headers.authorization);
    const installationId = token === undefined ? null : ctx.tokens.installationOf(token);
    if (installationId === null) return sendError(res, 401, 'Bad credentials');
    res.locals['installationId'] = installationId;
    next();
  };
}

/**
 * The account `owner` when the request's installation is on it, else a 404 as GitHub answers
 * for what a token cannot see. `organization` refuses user accounts, which have no org routes.
 */
export function accountInScope(ctx: SimContext, res: Response, owner: string, organization: boolean): Account | null {
  const account = ctx.accounts.byLogin(owner);
  const mine = account !== undefined && account.installationId === res.locals['installationId'];
  if (!mine || (organization && account.type !== 'Organization')) {
    sendError(res, 404, 'Not Found');
    return null;
  }
  return account;
}
