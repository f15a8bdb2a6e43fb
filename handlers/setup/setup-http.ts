/** HTTP details of the /setup pages: their headers, cookies and form fields. */
import type { Request, Response } from 'express';
import type { AccountKind } from './app-manifest.ts';

export const COOKIE = 'gcgr_setup';
/** Set once the App exists: GitHub's redirect to the setup URL carries no state of ours to check. */
export const STATE_COOKIE = 'gcgr_setup_state';

export function send(response: Response, status: number, html: string, scriptNonce?: string): void {
  const script = scriptNonce === undefined ? "'none'" : `'nonce-${scriptNonce}'`;
  response
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src ${script}; form-action 'self' https: http:; frame-ancestors 'none'; base-uri 'none'`,
    })
    .send(html);
}

export function cookieOf(request: Request, cookie = COOKIE): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === cookie) return value.join('=');
  }
  return undefined;
}

export const field = (request: Request, name: string): string => {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
};

/** Checks the form; returns the account kind and the path of GitHub's "create App" page, or the problem. */
export function readForm(request: Request): { account: AccountKind; path: string; name: string } | string {
  const account = field(request, 'account') === 'user' ? 'user' : 'organization';
  const name = field(request, 'name');
  if (name === '' || name.length > 34) return 'The App name must be 1 to 34 characters.';
  if (account === 'user') return { account, path: '/settings/apps/new', name };
  const organization = field(request, 'organization');
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/.test(organization)) return 'Give the organization login (letters, digits and dashes).';
  return { account, path: `/organizations/${organization}/settings/apps/new`, name };
}

