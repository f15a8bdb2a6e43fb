import { parseArgs } from 'node:util';
import { removeRunner, listRunners } from './runner-commands.ts';
import type { HandsOnTarget } from './target.ts';
import { createVmByHand, deleteVmByHand, listVms, type Write } from './vm-commands.ts';

export const handsOnUsage = `usage: npm run cli -- vms list
       npm run cli -- vms create --template T --owner OWNER [--repo REPO]
       npm run cli -- vms delete NAME
       npm run cli -- runners list [--owner OWNER [--repo REPO]]
       npm run cli -- runners remove NAME --owner OWNER [--repo REPO]
  The service's configuration: GOOGLE_CLOUD_PROJECT (ADC) or COMPUTE_API_ENDPOINT; GITHUB_APP_ID,
  GITHUB_APP_PRIVATE_KEY(_FILE), GITHUB_API_URL; RUNNER_TEMPLATES`;

/** `vms …` and `runners …`; throws with a sentence for the user on bad arguments. */
export async function runHandsOn(args: readonly string[], target: HandsOnTarget, write: Write, now: () => number = Date.now): Promise<void> {
  const { positionals, values } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { template: { type: 'string' }, owner: { type: 'string' }, repo: { type: 'string' } },
  });
  const [group, command, name] = positionals;
  const where = { owner: values.owner, repo: values.repo };
  const needName = (): string => {
    if (!name) throw new Error(`${group} ${command} needs a NAME\n${handsOnUsage}`);
    return name;
  };
  if (group === 'vms' && command === 'list') return listVms(target, write);
  if (group === 'vms' && command === 'create') {
    if (!values.template || !values.owner) throw new Error(`vms create needs --template and --owner\n${handsOnUsage}`);
    return createVmByHand(target, { template: values.template, owner: values.owner, repo: values.repo, now: now() }, write);
  }
  if (group === 'vms' && command === 'delete') return deleteVmByHand(target, needName(), write);
  if (group === 'runners' && command === 'list') return listRunners(target, where, write);
  if (group === 'runners' && command === 'remove') return removeRunner(target, needName(), where, write);
  throw new Error(`unknown command: ${positionals.join(' ')}\n${handsOnUsage}`);
}
