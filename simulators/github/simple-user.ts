import type { Account } from './types.ts';

/** GitHub's `simple-user` object for an account, with URLs under `apiUrl`. */
export function simpleUser(account: Pick<Account, 'login' | 'id' | 'type'>, apiUrl: string): Record<string, unknown> {
  const api = `${apiUrl}/users/${account.login}`;
  const nodePrefix = account.type === 'Organization' ? 'MDEyOk9yZ2FuaXphdGlvbj' : 'MDQ6VXNlcj';
  return {
    login: account.login,
    id: account.id,
    node_id: `${nodePrefix}${Buffer.from(String(account.id)).toString('base64')}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/${account.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: account.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** GitHub's `installation` object, as the installation lookups answer it. */
export function installationJson(account: Account, appId: number, apiUrl: string, createdAt: string): Record<string, unknown> {
  const id = account.installationId;
  return {
    id,
    client_id: `Iv1.sim${appId}`,
    account: simpleUser(account, apiUrl),
    repository_selection: 'all',
    access_tokens_url: `${apiUrl}/app/installations/${id}/access_tokens`,
    repositories_url: `${apiUrl}/installation/repositories`,
    html_url: `https://github.com/organizations/${account.login}/settings/installations/${id}`,
    app_id: appId,
    app_slug: 'google-cloud-github-runner-sim',
    target_id: account.id,
    target_type: account.type,
    permissions: appPermissions(account),
    events: ['workflow_job'],
    created_at: createdAt,
    updated_at: createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** What the App needs: runner administration at org level, or on repositories for a user. */
export function appPermissions(account: Pick<Account, 'type'>): Record<string, string> {
  const runners = account.type === 'Organization' ? { organization_self_hosted_runners: 'write' } : { administration: 'write' };
  return { actions: 'read', metadata: 'read', ...runners };
}
