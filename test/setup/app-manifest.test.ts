import test from 'ava';
import { appManifest, appPermissions } from '../../handlers/setup/app-manifest.ts';
import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';

const templates = (spot: boolean) => parseTemplatesFile(`templates:\n  - name: linux\n    labels: [self-hosted, linux]\n    spot: ${spot}\n`);

test('an organization App asks for organization runners, Actions read and metadata read, nothing more', (t) => {
  t.deepEqual(appPermissions('organization', templates(false)), { actions: 'read', metadata: 'read', organization_self_hosted_runners: 'write' });
});

test('a user account registers runners per repository: administration write instead', (t) => {
  t.deepEqual(appPermissions('user', templates(false)), { actions: 'read', metadata: 'read', administration: 'write' });
});

test('Actions write only when a template uses spot VMs, whose preempted jobs are re-run', (t) => {
  t.is(appPermissions('organization', templates(true))['actions'], 'write');
});

test('the manifest names the webhook, the workflow_job event and the two return addresses of this service', (t) => {
  const manifest = appManifest({ name: 'acme-runners', publicUrl: 'https://hook.example.test', account: 'organization', templates: templates(false) });
  t.like(manifest, {
    name: 'acme-runners',
    url: 'https://hook.example.test',
    hook_attributes: { url: 'https://hook.example.test/webhook', active: true },
    redirect_url: 'https://hook.example.test/setup/created',
    setup_url: 'https://hook.example.test/setup/installed',
    public: false,
    default_events: ['workflow_job'],
  });
});
