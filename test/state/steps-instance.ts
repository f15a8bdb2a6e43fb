/**
 * One steps-service instance for the multi-process tests: the product as handlers/main.ts starts
 * it (configuration from the environment), except that a job over its template's cap is offered
 * again after 0.2 s instead of 5 s, so a hundred jobs through five slots take seconds, not minutes.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../handlers/config/load-config.ts';
import { createLogger } from '../../handlers/log/logger.ts';
import { startSystem } from '../../handlers/system/start-system.ts';

const config = loadConfig(process.env, (path) => readFileSync(path, 'utf8'));
const system = await startSystem(config, { log: createLogger(), admissionRetrySeconds: 0.2 });
process.stderr.write(`listening on ${system.url}\n`);
process.once('SIGTERM', () => void system.close().then(() => process.exit(0)));
