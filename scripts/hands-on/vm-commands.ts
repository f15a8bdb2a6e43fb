import { insertWithFallback } from '../../handlers/compute/insert-with-fallback.ts';
import { requestIdFor } from '../../handlers/compute/request-id.ts';
import { RunnerError } from '../../handlers/errors.ts';
import type { RunnerScope } from '../../handlers/github/github.ts';
import { describeScope } from '../../handlers/github/scope.ts';
import { runnerNameFor } from '../../handlers/runner-name.ts';
import { bootGraceSeconds, labelValue } from '../../handlers/steps/create-vm.ts';
import { findTemplate, managedByLabel } from '../../handlers/steps/step-deps.ts';
import { scopeFromMetadata } from '../../handlers/reaper/locate-runner.ts';
import { resolveScope } from './resolve-scope.ts';
import type { HandsOnTarget } from './target.ts';

export type Write = (line: string) => void;

export async function listVms(target: HandsOnTarget, write: Write): Promise<void> {
  const vms = await target.compute.listInstances(managedByLabel);
  for (const vm of [...vms].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const how = vm.labels['manual'] === 'true' ? 'manual' : `execution ${vm.labels['execution'] ?? '-'}`;
    write(`${vm.name}  ${vm.zone}  ${vm.status.padEnd(12)} ${vm.labels['template'] ?? '-'}  ${vm.createdAt}  ${vm.spot ? 'spot' : 'on-demand'}  ${how}`);
  }
}

/**
 * A runner VM made by hand: a JIT runner registered with the template's labels, on a VM of the
 * template. It belongs to no execution, so the reaper keeps it until its template's maximum age
 * (idle timeout + max run duration + graces) and then deregisters and deletes it, as it does any
 * VM of ours that lost its execution; the VM's own `maxRunDuration` bounds it as well, and the
 * startup script powers it off after one job or the idle timeout. Job id 0 in its name and the
 * label `manual=true` say it was made by hand; its runner events are dropped (no callback URL).
 */
export async function createVmByHand(target: HandsOnTarget, options: { template: string; owner: string; repo: string | undefined; now: number }, write: Write): Promise<void> {
  const template = findTemplate(target.templates, options.template);
  const github = target.github();
  const scope = await resolveScope(github, options.owner, options.repo);
  // The clock in seconds as the attempt number: job ids start at 1, so job 0 never names a real job's VM.
  const name = runnerNameFor(template.name, 0, Math.floor(options.now / 1000));
  const jit = await github.generateJitConfig(scope, { name, runnerGroupId: template.runnerGroupId, labels: template.labels });
  const request = {
    name, template,
    labels: { ...managedByLabel, template: template.name, manual: 'true', owner: labelValue(scope.owner), ...(options.repo === undefined ? {} : { repository: labelValue(options.repo) }) },
    metadata: {
      'startup-script': target.startupScript, 'jit-config': jit.encodedJitConfig, 'idle-timeout': String(template.idleTimeoutSeconds),
      'boot-deadline': String(bootGraceSeconds), 'runner-scope': describeScope(scope), 'installation-id': String(scope.installationId),
    },
    maxRunDurationSeconds: template.idleTimeoutSeconds + template.maxRunDurationSeconds + bootGraceSeconds,
  };
  const insert = await insertWithFallback(target.compute, request, {
    spotOrder: template.spot && template.spotFallbackToOnDemand ? [true, false] : [template.spot],
    // The runner id in the request id: a second command that picks the same name must not replay the first one's insert.
    requestId: (zone, spot) => requestIdFor(name, zone, spot, jit.runnerId),
  }).catch(async (error: unknown) => {
    await github.deleteRunner(scope, jit.runnerId);
    throw error;
  });
  if ('refusals' in insert || insert.placed.outcome === 'exists') {
    await github.deleteRunner(scope, jit.runnerId);
    if ('refusals' in insert) throw new Error(`no capacity for ${name}: ${insert.refusals.join('; ')}`);
    throw new RunnerError('conflict', `a VM named ${name} already exists in ${insert.placed.zone}: try again in a second`);
  }
  const { zone, spot } = insert.placed;
  write(`created ${name} in ${zone}${spot ? ' (spot)' : ''}: runner ${jit.runnerId} in ${describeScope(scope)} with labels ${template.labels.join(',')}`);
}

/** As delete-vm: deregister the runner, then delete the VM; a busy runner is deregistered once its VM is gone. */
export async function deleteVmByHand(target: HandsOnTarget, name: string, write: Write): Promise<void> {
  const vm = (await target.compute.listInstances(managedByLabel)).find((candidate) => candidate.name === name);
  if (!vm) throw new Error(`no VM of ours named ${name}`);
  const scope = scopeFromMetadata(vm.metadata);
  let runner = scope === null ? 'unknown scope: not deregistered' : await deregister(target, scope, name);
  const outcome = await target.compute.deleteInstance(vm.name, vm.zone);
  if (scope !== null && runner === 'busy') runner = await deregister(target, scope, name);
  write(`${name}: runner ${runner}, VM ${outcome}`);
}

async function deregister(target: HandsOnTarget, scope: RunnerScope, name: string): Promise<string> {
  const github = target.github();
  const runner = await github.findRunnerByName(scope, name);
  if (!runner) return 'absent';
  try {
    return await github.deleteRunner(scope, runner.id);
  } catch (error) {
    if (error instanceof RunnerError && error.kind === 'busy') return 'busy';
    throw error;
  }
}

