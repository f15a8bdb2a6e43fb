import { startBareHmacServer } from './bare-hmac-server.ts';

/** The bare HMAC server in a process of its own, as the service runs in its own: BENCH_SECRET is the webhook secret. */
const server = await startBareHmacServer(process.env['BENCH_SECRET'] ?? '');
process.stderr.write(`bare HMAC server listening on ${server.url}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
