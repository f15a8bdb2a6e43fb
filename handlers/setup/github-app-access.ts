import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Router } from 'express';
import type { Clock } from '../clock.ts';
import type { AppConfig } from '../config/types.ts';
import { createGitHubClient } from '../github/create-github-client.ts';
import type { GitHub } from '../github/github.ts';
import type { Log } from '../log/logger.ts';
import type { WebhookDeps } from '../webhook/webhook-route.ts';
import type { AppCredentials } from './app-credentials.ts';
import type { CredentialSource } from './app-credentials.ts';
import { fileCredentialWriter, type CredentialWriter } from './credential-writer.ts';
import { liveGitHub } from './live-github.ts';
import { setupRoute } from './setup-route.ts';
import { storedCredentials } from './stored-credentials.ts';

export interface GitHubAppAccess {
  /** null where this role has no App key (the webhook role with fixed credentials). */
  readonly github: GitHub | null;
  readonly webhookSecret: WebhookDeps['webhookSecret'] | null;
  /** The /setup router and its token, where /setup is served. */
  readonly setup: { readonly router: Router; readonly token: string; close(): Promise<void> } | null;
}

export interface AccessOptions {
  readonly config: AppConfig;
  /** The simulator's App, when the GitHub simulator stands in for GitHub. */
  readonly simulated: (AppCredentials & { apiUrl: string }) | null;
  /** This process's own URL: the public URL where PUBLIC_URL is not set. */
  readonly url: string;
  readonly log: Log;
  readonly clock: Clock;
}

async function writerFor(config: AppConfig): Promise<CredentialWriter & { close?(): Promise<void> }> {
  const github = config.github!;
  if (github.credentialsSecret === null) return fileCredentialWriter(github.credentialsFile!);
  // Loaded only on Google Cloud, like the other Google clients.
  const { secretManagerWriter } = await import('./secret-manager-writer.ts');
  return secretManagerWriter({ secret: github.credentialsSecret });
}

/** The GitHub client, the webhook secret and /setup, wherever the App's credentials come from. */
export async function githubAppAccess(options: AccessOptions): Promise<GitHubAppAccess> {
  const { config, log, clock } = options;
  const build = (c: { appId: string; privateKey: string }, apiUrl: string) => createGitHubClient({ appId: c.appId, privateKey: c.privateKey, apiUrl, log, clock });
  if (options.simulated) {
    const sim = options.simulated;
    return { github: build(sim, sim.apiUrl), webhookSecret: sim.webhookSecret, setup: null };
  }
  const app = config.github!;
  if (app.credentialsFile === null) {
    const github = app.appId && app.privateKey ? build({ appId: app.appId, privateKey: app.privateKey }, app.apiUrl) : null;
    return { github, webhookSecret: app.webhookSecret, setup: null };
  }
  const file = app.credentialsFile;
  const source: CredentialSource = storedCredentials({ read: () => readFile(file, 'utf8'), now: () => clock.now() });
  const webhookSecret = async (options?: { fresh?: boolean }) => (await source.current(options))?.webhookSecret ?? null;
  const github = liveGitHub(source, (c) => build(c, app.apiUrl));
  if (config.setup === null) return { github, webhookSecret, setup: null };
  const token = config.setup.token ?? randomBytes(24).toString('base64url');
  const writer = await writerFor(config);
  const router = setupRoute({
    setupToken: token,
    publicUrl: config.setup.publicUrl ?? options.url,
    apiUrl: app.apiUrl,
    templates: config.templates,
    credentials: source,
    writer,
    defaultAppName: config.setup.appName,
    log,
    now: () => clock.now(),
  });
  return { github, webhookSecret, setup: { router, token, close: async () => writer.close?.() } };
}
