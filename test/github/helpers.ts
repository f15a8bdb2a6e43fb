import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../handlers/clock.ts';
import { createGitHubClient } from '../../handlers/github/create-github-client.ts';
import type { GitHub, RunnerScope } from '../../handlers/github/github.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { generateAppKeyPair } from '../../simulators/github/app-jwt.ts';
import { startGitHubSimulator, type GitHubSimulator, type GitHubSimulatorOptions } from '../../simulators/github/start-github-simulator.ts';

/** One key pair per test file: RSA generation costs more than the tests themselves. */
let keyPair: { privateKey: string } | undefined;
export function appKey(): string {
  keyPair ??= generateAppKeyPair();
  return keyPair.privateKey;
}

export interface World {
  readonly sim: GitHubSimulator;
  readonly github: GitHub;
  readonly logs: ReturnType<typeof createMemoryLogger>;
  /** `acme` is an organization: org-level runners. */
  readonly orgScope: RunnerScope;
  /** `jane` is a user: runners on her repository `tools`. */
  readonly repoScope: RunnerScope;
  close(): Promise<void>;
}

/** A simulator with two installations, and our client pointed at it with the real octokit libraries. */
export async function startWorld(options: GitHubSimulatorOptions & { clientClock?: Clock } = {}): Promise<World> {
  const sim = await startGitHubSimulator({ privateKey: appKey(), ...options });
  const logs = createMemoryLogger();
  const clientClock = options.clientClock === undefined ? {} : { clock: options.clientClock };
  const github = createGitHubClient({ appId: sim.appId, privateKey: sim.privateKey, apiUrl: sim.url, log: logs.log, ...clientClock });
  const org = sim.install('acme', 'Organization');
  const user = sim.install('jane', 'User');
  return {
    sim,
    github,
    logs,
    orgScope: { installationId: org.installationId, owner: 'acme' },
    repoScope: { installationId: user.installationId, owner: 'jane', repo: 'tools' },
    close: () => sim.close(),
  };
}

export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A webhook receiver that keeps what it gets and answers `status()`. */
export async function startReceiver(status: () => number = () => 202) {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status(), { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url, received, close, payloads: () => received.map((r) => JSON.parse(r.body) as Record<string, unknown>) };
}

/** A clock the test moves by hand. */
export function manualClock(startMs = Date.now()): Clock & { advance(ms: number): void } {
  let now = startMs;
  return { now: () => now, advance: (ms) => void (now += ms) };
}
