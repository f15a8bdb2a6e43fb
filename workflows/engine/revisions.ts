import { createDeployment, type Deployment } from './deployment.ts';
import type { DeployLine } from './store/engine-lines.ts';
import type { EnginePersistence } from './store/engine-persistence.ts';

/** The deployed revisions of each workflow; with a store, recorded so that a restart keeps them. */
export class Revisions {
  private readonly latest = new Map<string, Deployment>();
  private readonly counts = new Map<string, number>();

  private readonly persistence: EnginePersistence | undefined;
  constructor(persistence: EnginePersistence | undefined) {
    this.persistence = persistence;
  }

  /** Loads and checks `source` as the next revision, unless it is exactly the current one. */
  deploy(workflowId: string, source: string, fileName: string, userEnvVars: Readonly<Record<string, string>>): Deployment {
    const line: Omit<DeployLine, 'k' | 'rev' | 'n'> = { wf: workflowId, file: fileName, src: source, env: { ...userEnvVars } };
    const current = this.latest.get(workflowId);
    if (current && current.revisionId === this.persistence?.sameDeployment(line)?.rev) return current;
    const revision = (this.counts.get(workflowId) ?? 0) + 1;
    const deployment = this.install(revision, createDeployment(workflowId, source, fileName, userEnvVars, revision));
    this.persistence?.deployed({ k: 'deploy', ...line, rev: deployment.revisionId, n: revision });
    return deployment;
  }

  /** A revision as the journal recorded it, with its id. */
  restore(line: DeployLine): Deployment {
    return this.install(line.n, createDeployment(line.wf, line.src, line.file, line.env, line.n, line.rev));
  }

  get(workflowId: string): Deployment | undefined {
    return this.latest.get(workflowId);
  }

  latestIds(): string[] {
    return [...this.latest.values()].map((deployment) => deployment.revisionId);
  }

  private install(revision: number, deployment: Deployment): Deployment {
    this.counts.set(deployment.workflowId, Math.max(revision, this.counts.get(deployment.workflowId) ?? 0));
    this.latest.set(deployment.workflowId, deployment);
    return deployment;
  }
}
