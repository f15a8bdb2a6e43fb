import { RunnerError } from '../errors.ts';
import type { AppCall } from './app-call.ts';
import type { InstallationInfo } from './github.ts';
import type { InstallationCall } from './installation-call.ts';

interface InstallationWire {
  readonly id: number;
  readonly account: { readonly login: string; readonly type?: string } | null;
  readonly suspended_at?: string | null;
}

interface RepositoriesPage {
  readonly total_count: number;
  readonly repositories: readonly { readonly name: string }[];
}

/** GitHub's maximum page size for both lists. */
const PAGE_SIZE = 100;
/** 100 pages = 10,000 installations or repositories: a bound against a server that never ends. */
const MAX_PAGES = 100;

/** The App's installations (App JWT). Suspended ones are left out: their tokens are refused. */
export async function listInstallations(call: AppCall): Promise<InstallationInfo[]> {
  const found: InstallationInfo[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const { data } = await call<InstallationWire[]>('GET /app/installations', { params: { per_page: PAGE_SIZE, page } });
    for (const wire of data) {
      if (wire.account === null || (wire.suspended_at ?? null) !== null) continue;
      const ownerType = wire.account.type === 'Organization' ? 'Organization' : 'User';
      found.push({ installationId: wire.id, owner: wire.account.login, ownerType });
    }
    if (data.length < PAGE_SIZE) return found;
  }
  throw new RunnerError('fatal', `listing the App's installations did not end after ${MAX_PAGES} pages`);
}

/** The names of the repositories an installation can see (installation token). */
export async function listInstallationRepositories(call: InstallationCall, installationId: number): Promise<string[]> {
  const names: string[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const { data } = await call<RepositoriesPage>(installationId, 'GET /installation/repositories', { params: { per_page: PAGE_SIZE, page } });
    names.push(...data.repositories.map((repository) => repository.name));
    if (data.repositories.length < PAGE_SIZE || names.length >= data.total_count) return names;
  }
  throw new RunnerError('fatal', `listing the repositories of installation ${installationId} did not end after ${MAX_PAGES} pages`);
}
