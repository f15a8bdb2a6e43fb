/**
 * GitHub's web address from its API URL, for the "create App" page: `https://api.github.com` →
 * `https://github.com`; `https://api.SUBDOMAIN.ghe.com` → `https://SUBDOMAIN.ghe.com`; GitHub
 * Enterprise Server `https://HOST/api/v3` → `https://HOST`; anything else (the simulator) serves
 * both at the same address.
 */
export function githubWebUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  const path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith('/api/v3')) return `${url.origin}${path.slice(0, -'/api/v3'.length)}`;
  if (url.hostname.startsWith('api.') && path === '') return `${url.protocol}//${url.host.slice('api.'.length)}`;
  return `${url.origin}${path}`;
}
