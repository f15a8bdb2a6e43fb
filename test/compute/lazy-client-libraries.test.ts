import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test from 'ava';

const child = new URL('../helpers/client-libraries-child.ts', import.meta.url).pathname;

/** Starts the service in a fresh Node process in `role`, and returns what it reports loaded. */
async function loadedIn(role: 'webhook' | 'embedded'): Promise<{ ignored: number; afterWebhook: string[]; afterVm?: string[] }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import=tsx', child, role], { timeout: 45_000 });
  return JSON.parse(stdout) as { ignored: number; afterWebhook: string[]; afterVm?: string[] };
}

// The Compute API's reflection is ~60 MB of RSS, and a heap every collection walks: on the webhook's
// hot path that GC cost the app a fifth of its requests/s against the @octokit/webhooks stack (#15).
test('the webhook role of Cloud Run answers deliveries without loading the Compute Engine client library', async (t) => {
  const report = await loadedIn('webhook');
  t.is(report.ignored, 200);
  t.false(report.afterWebhook.includes('@google-cloud/compute/build/src/'), `loaded: ${report.afterWebhook.join(', ')}`);
});

test('the embedded service loads the Compute Engine client library at its first VM, not at start or for a webhook', async (t) => {
  const report = await loadedIn('embedded');
  t.is(report.ignored, 200);
  t.deepEqual(report.afterWebhook, [], 'nothing of the Google client libraries before a VM is needed');
  t.true(report.afterVm?.includes('@google-cloud/compute/build/src/'), 'the check sees the library once it is used');
});
