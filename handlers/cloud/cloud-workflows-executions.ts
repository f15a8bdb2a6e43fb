import { ExecutionsClient } from '@google-cloud/workflows';
import type { Executions } from '../dispatch/ports.ts';
import { RunnerError } from '../errors.ts';
import type { Log } from '../log/logger.ts';
import { isWarmArgument, type RunnerArgument } from '../warm/warm-argument.ts';
import { classifyGoogleError, isNotFound } from './classify-google-error.ts';
import type { GoogleClientOptions } from './client-options.ts';
import { executionIdOf, toExecutionDetail, toExecutionSummary, type ExecutionDetail, type ExecutionState, type ExecutionSummary } from './execution-view.ts';

type ExecutionsClientOptions = NonNullable<ConstructorParameters<typeof ExecutionsClient>[0]>;
export type CallLogLevel = 'LOG_ALL_CALLS' | 'LOG_ERRORS_ONLY' | 'LOG_NONE';

export interface CloudWorkflowsExecutionsOptions {
  /** From `clientOptionsForEndpoint`; absent → Workflows itself over REST with ADC. */
  readonly clientOptions?: GoogleClientOptions;
  readonly project: string;
  readonly location: string;
  /** The deployed runner workflow's name. */
  readonly workflow: string;
  /** Per-execution override; absent → the workflow's own setting (LOG_ERRORS_ONLY in terraform/). */
  readonly callLogLevel?: CallLogLevel;
  readonly log: Log;
}

export interface ListExecutionsOptions {
  readonly state?: ExecutionState;
  /** Up to 1000 (the API's cap for the BASIC view); default 100. */
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export interface ExecutionPage {
  readonly executions: readonly ExecutionSummary[];
  /** Pass as `pageToken` for the next page; null on the last. */
  readonly nextPageToken: string | null;
}

export interface CloudWorkflowsExecutions extends Executions {
  /** One page, newest first. */
  listExecutions(options?: ListExecutionsOptions): Promise<ExecutionPage>;
  /** `id` is the last segment of the execution's name (or the whole name); unknown → RunnerError not_found. */
  getExecution(id: string): Promise<ExecutionDetail>;
  /** The arguments of every ACTIVE or QUEUED execution (FULL view, all pages): what the runner cap counts. */
  activeArguments(): Promise<string[]>;
  /** Starts a new execution with the argument of an ended, unsuccessful one; returns the new id. */
  rerunExecution(id: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Rerunning an execution that is still going would give one job two executions racing over one
 * VM (the second would delete it on its idle timeout); a SUCCEEDED one has nothing left to do.
 */
const rerunnable: ReadonlySet<ExecutionState> = new Set(['FAILED', 'CANCELLED', 'UNAVAILABLE']);

/** AIP-160, as the list method documents it (https://cloud.google.com/workflows/docs/reference/executions/rest/v1/projects.locations.workflows.executions/list). */
export const activeFilter = 'state="ACTIVE" OR state="QUEUED"';

interface Context {
  readonly client: ExecutionsClient;
  /** `projects/P/locations/L/workflows/W`. */
  readonly parent: string;
  readonly callLogLevel: CallLogLevel | undefined;
  readonly log: Log;
}

/**
 * `Executions` on Cloud Workflows, plus what the CLI needs to look at and re-run executions. The
 * argument is the job event as JSON text, which runner.yaml receives as `job`. Re-running is safe
 * because every step is idempotent: names derive from the job, so no second VM or runner appears.
 * Step entries (`executions.stepEntries.list`) are not in @google-cloud/workflows 5.1: not offered.
 */
export function createCloudWorkflowsExecutions(options: CloudWorkflowsExecutionsOptions): CloudWorkflowsExecutions {
  // Cast: gax 5 types its auth client with its nested google-auth-library 10; the v11
  // PassThroughClient is another type to TypeScript, the same thing at run time (see client-options.ts).
  const client = new ExecutionsClient((options.clientOptions ?? { fallback: true }) as unknown as ExecutionsClientOptions);
  const parent = client.workflowPath(options.project, options.location, options.workflow);
  const context: Context = { client, parent, callLogLevel: options.callLogLevel, log: options.log.child({ component: 'cloud-workflows', workflow: parent }) };
  return {
    async start(argument: RunnerArgument) {
      const executionId = await createExecution(context, JSON.stringify(argument));
      const about = isWarmArgument(argument) ? { runnerName: argument.runnerName, warm: argument.warm } : { deliveryId: argument.deliveryId, jobId: argument.jobId, action: argument.action };
      context.log.info({ executionId, ...about }, 'execution started');
      return executionId;
    },
    getExecution: (id) => getExecution(context, id),
    listExecutions: (list) => listExecutions(context, list),
    rerunExecution: (id) => rerunExecution(context, id),
    activeArguments: () => activeArguments(context),
    close: () => client.close(),
  };
}

async function createExecution(context: Context, argument: string): Promise<string> {
  const execution = { argument, ...(context.callLogLevel ? { callLogLevel: context.callLogLevel } : {}) };
  try {
    const [created] = await context.client.createExecution({ parent: context.parent, execution });
    return executionIdOf(created.name ?? '');
  } catch (error) {
    throw classifyGoogleError(error, `Workflows createExecution in ${context.parent}`);
  }
}

async function getExecution(context: Context, id: string): Promise<ExecutionDetail> {
  const name = id.startsWith(`${context.parent}/executions/`) ? id : `${context.parent}/executions/${id}`;
  try {
    const [execution] = await context.client.getExecution({ name });
    return toExecutionDetail(execution);
  } catch (error) {
    if (isNotFound(error)) throw new RunnerError('not_found', `execution ${name} not found`);
    throw classifyGoogleError(error, `Workflows getExecution ${name}`);
  }
}

async function listExecutions(context: Context, list: ListExecutionsOptions = {}): Promise<ExecutionPage> {
  const request = {
    parent: context.parent,
    pageSize: list.pageSize ?? 100,
    ...(list.pageToken ? { pageToken: list.pageToken } : {}),
    ...(list.state ? { filter: `state="${list.state}"` } : {}),
  };
  try {
    // One page: with autoPaginate (the default) the client would fetch every page.
    const [executions, , response] = await context.client.listExecutions(request, { autoPaginate: false });
    return { executions: executions.map(toExecutionSummary), nextPageToken: response?.nextPageToken || null };
  } catch (error) {
    throw classifyGoogleError(error, `Workflows listExecutions in ${context.parent}`);
  }
}

async function activeArguments(context: Context): Promise<string[]> {
  // The FULL view carries the argument; its page size is capped at 100 by the API. QUEUED: past the
  // concurrency quota the service queues new executions, which will run and make a VM all the same.
  const request = { parent: context.parent, pageSize: 100, view: 'FULL' as const, filter: activeFilter };
  try {
    const executions = await context.client.listExecutionsAsync(request);
    const argumentsOfActive: string[] = [];
    for await (const execution of executions) if (execution.argument) argumentsOfActive.push(execution.argument);
    return argumentsOfActive;
  } catch (error) {
    throw classifyGoogleError(error, `Workflows listExecutions (active) in ${context.parent}`);
  }
}

async function rerunExecution(context: Context, id: string): Promise<string> {
  const previous = await getExecution(context, id);
  if (!rerunnable.has(previous.state)) {
    throw new RunnerError('conflict', `execution ${previous.id} is ${previous.state}: only FAILED, CANCELLED or UNAVAILABLE ones are re-run`);
  }
  if (previous.argument === null) throw new RunnerError('invalid', `execution ${previous.id} has no argument to re-run with`);
  const executionId = await createExecution(context, previous.argument);
  context.log.info({ executionId, rerunOf: previous.id }, 'execution re-run');
  return executionId;
}
