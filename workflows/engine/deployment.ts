import { randomBytes } from 'node:crypto';
import { WorkflowLoadError } from './errors.ts';
import { loadWorkflow } from './loader/load-workflow.ts';
import type { Program } from './loader/program.ts';

/** One deployed revision of a workflow. */
export interface Deployment {
  workflowId: string;
  revisionId: string;
  program: Program;
  userEnvVars: Readonly<Record<string, string>>;
}

// Workflows allows 20 user variables of at most 4 KiB in total, and reserves two prefixes.
const maxEnvVars = 20;
const maxEnvBytes = 4 * 1024;
const reservedPrefixes = ['GOOGLE_', 'WORKFLOWS_'];

/** Loads and checks a source; revision ids look like Google's: `000001-a3f`. */
export function createDeployment(
  workflowId: string,
  source: string,
  fileName: string,
  userEnvVars: Readonly<Record<string, string>>,
  revision: number,
  /** The id it had when first deployed (from the store): a restart keeps revision ids. */
  revisionId?: string,
): Deployment {
  const problems: string[] = [];
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(workflowId)) problems.push(`${fileName}: invalid workflow id "${workflowId}"`);
  const names = Object.keys(userEnvVars);
  if (names.length > maxEnvVars) problems.push(`${fileName}: at most ${maxEnvVars} user environment variables`);
  const bytes = names.reduce((sum, name) => sum + Buffer.byteLength(name) + Buffer.byteLength(userEnvVars[name] ?? ''), 0);
  if (bytes > maxEnvBytes) problems.push(`${fileName}: user environment variables total ${bytes} bytes; the limit is ${maxEnvBytes}`);
  for (const name of names) {
    if (reservedPrefixes.some((prefix) => name.startsWith(prefix))) problems.push(`${fileName}: environment variable ${name} uses a reserved prefix`);
  }
  let program: Program | undefined;
  try {
    program = loadWorkflow(source, fileName);
  } catch (error) {
    if (!(error instanceof WorkflowLoadError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !program) throw new WorkflowLoadError(problems);
  const id = revisionId ?? `${String(revision).padStart(6, '0')}-${randomBytes(2).toString('hex').slice(0, 3)}`;
  return { workflowId, revisionId: id, program, userEnvVars: Object.freeze({ ...userEnvVars }) };
}
