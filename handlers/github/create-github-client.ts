import { createAppAuth } from '@octokit/auth-app';
import { request as defaultRequest } from '@octokit/request';
import { systemClock, type Clock } from '../clock.ts';
import type { Log } from '../log/logger.ts';
import { createAppCall } from './app-call.ts';
import { createAppJwtSigner } from './app-jwt.ts';
import { listDeliveries, redeliver } from './deliveries.ts';
import { generateJitConfig } from './generate-jit-config.ts';
import { getJob } from './get-job.ts';
import { getLatestRelease } from './get-latest-release.ts';
import { rerunJob } from './rerun-job.ts';
import type { GitHub } from './github.ts';
import { createInstallationCall, type OctokitRequest } from './installation-call.ts';
import { listInstallationRepositories, listInstallations } from './installations.ts';
import { nodeHttpFetch } from './node-http-fetch.ts';
import { deleteRunner, findRunnerByName, listRunners } from './runners.ts';
import { createTokenCache } from './token-cache.ts';

export interface GitHubClientOptions {
  readonly appId: number | string;
  /** PEM, PKCS#1 or PKCS#8. */
  readonly privateKey: string;
  /** `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. */
  readonly apiUrl: string;
  readonly log: Log;
  /** An `@octokit/request` to build on, e.g. one with a custom `fetch`. */
  readonly request?: OctokitRequest;
  readonly clock?: Clock;
  /** Per call; default 30 s. */
  readonly timeoutMs?: number;
}

/** The REST API version whose shapes we read. */
const API_VERSION = '2022-11-28';
/** GitHub ends its own requests at 10 s; three times that means the connection is lost. */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The GitHub client for the steps. One `createAppAuth` instance serves every call, so its cache
 * mints one installation token per installation per hour (replaced 5 minutes before GitHub's
 * stated expiry), not one per call, and one App JWT serves every call for 5 minutes.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHub {
  const request = (options.request ?? defaultRequest.defaults({ request: { fetch: nodeHttpFetch } })).defaults({
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    headers: { 'user-agent': 'google-cloud-github-runner', 'x-github-api-version': API_VERSION },
  });
  const log = options.log;
  const clock = options.clock ?? systemClock;
  const auth = createAppAuth({
    appId: options.appId,
    // GitHub checks the JWT's times against its own clock: it is signed on the machine's, as
    // auth-app signs it, whatever clock the client is given (tests move that one).
    createJwt: createAppJwtSigner({ appId: options.appId, privateKey: options.privateKey, clock: systemClock, log }),
    cache: createTokenCache(clock),
    request,
    log: { warn: (message: string) => log.warn({ component: 'auth-app' }, message) },
  });
  const callDeps = { auth, request, clock, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  const call = createInstallationCall(callDeps);
  const appCall = createAppCall(callDeps);
  return {
    getJob: (job) => getJob(call, job),
    rerunJob: (job) => rerunJob(call, job),
    generateJitConfig: (scope, jitRequest) => generateJitConfig(call, log, scope, jitRequest),
    deleteRunner: (scope, runnerId) => deleteRunner(call, scope, runnerId),
    findRunnerByName: (scope, name) => findRunnerByName(call, scope, name),
    listRunners: (scope, prefix) => listRunners(call, scope, prefix),
    listInstallations: () => listInstallations(appCall),
    listInstallationRepositories: (installationId) => listInstallationRepositories(call, installationId),
    listDeliveries: (window) => listDeliveries(appCall, window),
    redeliver: (deliveryId) => redeliver(appCall, deliveryId),
    getLatestRelease: (installationId, owner, repo) => getLatestRelease(call, installationId, owner, repo),
  };
}
