import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Webhooks } from '@octokit/webhooks';

/**
 * The standard Node webhook stack as a peer: @octokit/webhooks' `createNodeMiddleware` on node:http
 * (signature, JSON parse, event routing) and a `workflow_job` handler that reads the job's labels
 * and decides whether a runner would be made for it, as terraform-aws-github-runner's webhook does
 * (every label of the job among the runner's labels, case-insensitive). It does no durable write.
 * BENCH_SECRET: the webhook secret; BENCH_LABELS: the runner's labels, comma-separated.
 */
const runnerLabels = new Set((process.env['BENCH_LABELS'] ?? '').split(',').map((label) => label.trim().toLowerCase()));
const webhooks = new Webhooks({ secret: process.env['BENCH_SECRET'] ?? '' });
const decisions = { accepted: 0, ignored: 0 };
webhooks.on('workflow_job.queued', ({ payload }) => {
  const served = payload.workflow_job.labels.every((label) => runnerLabels.has(label.toLowerCase()));
  decisions[served ? 'accepted' : 'ignored'] += 1;
});
// The middleware's default logger writes a line per failed delivery only; nothing is logged on success.
const middleware = createNodeMiddleware(webhooks, { path: '/webhook' });
const server = createServer((request, response) => void middleware(request, response));
server.listen(0, '127.0.0.1', () => {
  process.stderr.write(`octokit peer listening on http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook\n`);
});
process.once('SIGTERM', () => {
  process.stderr.write(`octokit peer decisions: ${JSON.stringify(decisions)}\n`);
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
