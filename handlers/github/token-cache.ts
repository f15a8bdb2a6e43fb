import type { Clock } from '../clock.ts';

/**
 * Installation tokens last an hour (https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app);
 * one is replaced 5 minutes before the `expires_at` GitHub gave it, so that no call (30 s at most)
 * is sent with a token that expires on the way.
 */
const refreshBeforeMs = 5 * 60_000;

/**
 * @octokit/auth-app's `cache` option: the installation tokens, each kept until 5 minutes before
 * the expiry GitHub stated, measured on our clock (auth-app's default cache keeps one for 59
 * minutes after it arrived, on its own clock, whatever GitHub said). auth-app stores each as
 * `token|createdAt|expiresAt|…` under a key of the installation and the permissions asked.
 */
export function createTokenCache(clock: Clock) {
  const entries = new Map<string, string>();
  return {
    /** '' for none: auth-app's type asks for a string, and it takes any falsy one as a miss. */
    get(key: string): string {
      const value = entries.get(key);
      const expiresAt = Date.parse(value?.split('|')[2] ?? '');
      if (value === undefined || !(expiresAt - clock.now() > refreshBeforeMs)) {
        entries.delete(key);
        return '';
      }
      return value;
    },
    set(key: string, value: string): void {
      entries.set(key, value);
    },
  };
}
