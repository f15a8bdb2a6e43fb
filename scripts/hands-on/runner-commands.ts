import { RunnerError } from '../../handlers/errors.ts';
import { describeScope } from '../../handlers/github/scope.ts';
import { runnerNamePrefix } from '../../handlers/runner-name.ts';
import { createScopeDirectory } from '../../handlers/reaper/scope-directory.ts';
import { resolveScope } from './resolve-scope.ts';
import type { HandsOnTarget } from './target.ts';
import type { Write } from './vm-commands.ts';

/** Our runners (named `ghr-…`) in one scope, or in every scope of every installation. */
export async function listRunners(target: HandsOnTarget, options: { owner: string | undefined; repo: string | undefined }, write: Write): Promise<void> {
  const github = target.github();
  const scopes = options.owner === undefined ? await everyScope(target) : [await resolveScope(github, options.owner, options.repo)];
  for (const scope of scopes) {
    for (const runner of await github.listRunners(scope, runnerNamePrefix)) {
      write(`${runner.name}  ${runner.id}  ${runner.status.padEnd(7)} ${runner.busy ? 'busy' : 'idle'}  ${describeScope(scope)}  ${runner.labels.join(',')}`);
    }
  }
}

/** Every scope our runners may be registered in, as the reaper looks at them. */
async function everyScope(target: HandsOnTarget) {
  const directory = createScopeDirectory(target.github(), target.templates);
  const scopes = [];
  for (const installation of await directory.installations()) scopes.push(...(await directory.scopesOf(installation)));
  return scopes;
}

/** Deregisters one runner; GitHub refuses while it runs a job (422), and so do we. */
export async function removeRunner(target: HandsOnTarget, name: string, options: { owner: string | undefined; repo: string | undefined }, write: Write): Promise<void> {
  if (options.owner === undefined) throw new Error('runners remove needs --owner (and --repo for a repository runner)');
  const github = target.github();
  const scope = await resolveScope(github, options.owner, options.repo);
  const runner = await github.findRunnerByName(scope, name);
  if (!runner) throw new Error(`no runner named ${name} in ${describeScope(scope)}`);
  try {
    write(`${name}: ${await github.deleteRunner(scope, runner.id)}`);
  } catch (error) {
    if (error instanceof RunnerError && error.kind === 'busy') throw new Error(`${name} is running a job: GitHub refuses to remove it until the job ends`);
    throw error;
  }
}
