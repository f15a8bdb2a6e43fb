import { randomInt } from 'node:crypto';
import type { Account, OwnerType } from './types.ts';

/** Accounts (organizations and users) that installed the App; one installation each. */
export interface Accounts {
  /** Installs the App on `login` if it is not yet; returns the account either way. */
  install(login: string, type?: OwnerType): Account;
  byLogin(login: string): Account | undefined;
  byInstallation(installationId: number): Account | undefined;
  all(): Account[];
}

const FIRST_ACCOUNT_ID = 9_000_001;

/**
 * Installation ids start at a random base unless given. @octokit/auth-app shares in-flight token
 * requests across all its instances in a process, keyed by installation id only: two simulators
 * in one test process handing out the same id would get each other's tokens.
 */
export function createAccounts(firstInstallationId = 40_000_000 + randomInt(1, 1_000_000) * 10): Accounts {
  const byLogin = new Map<string, Account>();
  return {
    install(login, type = 'Organization') {
      const existing = byLogin.get(login.toLowerCase());
      if (existing !== undefined) return existing;
      const account: Account = {
        login,
        type,
        id: FIRST_ACCOUNT_ID + byLogin.size,
        installationId: firstInstallationId + byLogin.size,
      };
      byLogin.set(login.toLowerCase(), account);
      return account;
    },
    byLogin: (login) => byLogin.get(login.toLowerCase()),
    byInstallation: (installationId) => [...byLogin.values()].find((a) => a.installationId === installationId),
    all: () => [...byLogin.values()],
  };
}
