/** The /setup pages: plain HTML, no script but the one auto-submit, every value escaped. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string, scriptNonce?: string): string {
  const script = scriptNonce === undefined ? '' : `<script nonce="${scriptNonce}">document.getElementById('to-github').submit();</script>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)} · google-cloud-github-runner</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0}input[type=text],input[type=password]{width:100%;padding:.4rem}button{padding:.5rem 1.2rem}.error{color:#b00020}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}${script}</body></html>`;
}

export interface FormPageInput {
  readonly configuredAppId: string | null;
  readonly defaultName: string;
  readonly error?: string;
}

export function formPage(input: FormPageInput): string {
  const intro = input.configuredAppId === null
    ? '<p>This creates the GitHub App this service needs, with exactly the permissions and the webhook it uses, and stores its credentials. You need the setup token (<code>terraform output -raw setup_token</code>, or the line <code>npm start</code> printed).</p>'
    : `<p id="configured">This service is configured with GitHub App <strong>${escapeHtml(input.configuredAppId)}</strong>. Setup is closed; to replace the App, enter the setup token.</p>`;
  const error = input.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(input.error)}</p>`;
  return page(input.configuredAppId === null ? 'Set up the GitHub App' : 'GitHub App configured', `${intro}${error}
<form method="post" action="/setup">
<label>Setup token <input type="password" name="token" autocomplete="off" required></label>
<fieldset><legend>Owner of the App and of the runners</legend>
<label><input type="radio" name="account" value="organization" checked> An organization: <input type="text" name="organization" placeholder="my-org" pattern="[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"></label>
<label><input type="radio" name="account" value="user"> My user account (runners are registered per repository)</label>
</fieldset>
<label>App name (unique on GitHub, at most 34 characters) <input type="text" name="name" maxlength="34" value="${escapeHtml(input.defaultName)}" required></label>
<button type="submit">Create the GitHub App</button>
</form>`);
}

/** Posts the manifest to GitHub's "create App" page: GitHub requires a form POST, not a link. */
export function toGitHubPage(action: string, manifest: string, scriptNonce: string): string {
  return page('Continue on GitHub', `<p>GitHub asks you to confirm the App's name and creates it.</p>
<form id="to-github" method="post" action="${escapeHtml(action)}">
<input type="hidden" name="manifest" value="${escapeHtml(manifest)}">
<button type="submit">Continue to GitHub</button>
</form>`, scriptNonce);
}

export function installedPage(appName: string, accounts: readonly string[]): string {
  const where = accounts.length === 0 ? '<p>The App is not installed on any account yet: install it from its page on GitHub.</p>' : `<p>Installed on: <strong id="accounts">${accounts.map(escapeHtml).join(', ')}</strong>.</p>`;
  return page('Ready', `<p id="done">GitHub App <strong>${escapeHtml(appName)}</strong> is created and its credentials are stored. Jobs whose <code>runs-on</code> matches a runner template now get a VM.</p>${where}
<p>This page is closed now: re-opening <a href="/setup">/setup</a> needs the setup token.</p>`);
}

export function errorPage(message: string): string {
  return page('Setup did not complete', `<p class="error" role="alert">${escapeHtml(message)}</p><p><a href="/setup">Start again</a></p>`);
}
