import type { TemplatesConfig } from '../config/types.ts';

export type AccountKind = 'organization' | 'user';

export interface ManifestInput {
  readonly name: string;
  /** This service's public base URL, e.g. `https://gh-runner-webhook-123.us-central1.run.app`. */
  readonly publicUrl: string;
  readonly account: AccountKind;
  readonly templates: TemplatesConfig;
}

/**
 * Exactly what the steps call, by account kind: runners are registered on the organization
 * (`organization_self_hosted_runners`), or, for a user account, which has no organization
 * runners, on each repository (`administration`). `actions: read` reads a job's status before a VM
 * is made for it; `write` only when a template uses spot VMs, whose preempted jobs are re-run.
 */
export function appPermissions(account: AccountKind, templates: TemplatesConfig): Record<string, 'read' | 'write'> {
  const actions = templates.templates.some((template) => template.spot) ? 'write' : 'read';
  const runners = account === 'organization' ? { organization_self_hosted_runners: 'write' as const } : { administration: 'write' as const };
  return { actions, metadata: 'read', ...runners };
}

/**
 * The GitHub App manifest (https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest):
 * `redirect_url` receives the code, `setup_url` the browser after installation.
 */
export function appManifest(input: ManifestInput): Record<string, unknown> {
  return {
    name: input.name,
    url: input.publicUrl,
    description: 'Ephemeral Google Compute Engine VMs for GitHub Actions jobs (google-cloud-github-runner).',
    hook_attributes: { url: `${input.publicUrl}/webhook`, active: true },
    redirect_url: `${input.publicUrl}/setup/created`,
    setup_url: `${input.publicUrl}/setup/installed`,
    setup_on_update: false,
    public: false,
    default_events: ['workflow_job'],
    default_permissions: appPermissions(input.account, input.templates),
  };
}
