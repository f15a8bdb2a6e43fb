import { RunnerError } from '../errors.ts';

/** A release lookup answered in 10 s or not at all: create-vm waits on it. */
const timeoutMs = 10_000;

/**
 * GETs a release object from a URL of the operator's choosing (RUNNER_RELEASES_URL, e.g. for a
 * GitHub Enterprise Server that does not carry actions/runner). No credentials are sent: the
 * App's tokens are for the configured GitHub only.
 */
export async function fetchReleaseFromUrl(url: string, fetchImpl: typeof fetch = fetch): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers: { accept: 'application/vnd.github+json', 'user-agent': 'google-cloud-github-runner' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new RunnerError('unavailable', `runner release lookup at ${url} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new RunnerError(response.status >= 500 || response.status === 429 ? 'unavailable' : 'fatal', `runner release lookup at ${url} answered ${response.status}`);
  try {
    return (await response.json()) as unknown;
  } catch {
    throw new RunnerError('invalid', `runner release lookup at ${url} did not answer JSON`);
  }
}
