import { googleError, startFakeServer, type FakeServer, type Reply, type SeenRequest } from './fake-http.ts';

/** An execution as the v1 REST API returns it (enums as their names, times as RFC 3339). */
export interface FakeExecution {
  name: string;
  state: 'ACTIVE' | 'QUEUED' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  argument: string;
  callLogLevel?: string;
  startTime: string;
  endTime?: string;
  result?: string;
  error?: { payload: string; context: string; stackTrace?: { elements: { step: string; routine: string }[] } };
  status?: { currentSteps: { routine: string; step: string }[] };
  workflowRevisionId: string;
}

export interface FakeWorkflows extends FakeServer {
  /** By id, in creation order. */
  readonly executions: Map<string, FakeExecution>;
  /** The next calls answer these, in order. */
  readonly faults: Reply[];
}

const executionFields = new Set(['argument', 'callLogLevel', 'labels']);
const callLogLevels = new Set(['LOG_ALL_CALLS', 'LOG_ERRORS_ONLY', 'LOG_NONE']);
const basicFields = ['name', 'startTime', 'endTime', 'duration', 'state', 'workflowRevisionId'] as const;

/**
 * Workflow Executions v1 over REST as @google-cloud/workflows 5 speaks it with `fallback: true`:
 * create (`POST …/executions`, the Execution as the body), get (FULL view), list (BASIC view,
 * newest first, `filter=state="X"`, `pageSize`/`pageToken`). Strict about fields, enums (names)
 * and the argument, which must be JSON text of at most 32 KiB, as the real API requires.
 */
export async function startFakeWorkflows(workflows: readonly string[]): Promise<FakeWorkflows> {
  const executions = new Map<string, FakeExecution>();
  const faults: Reply[] = [];
  let counter = 0;
  const server = await startFakeServer((request) => {
    const match = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/workflows\/[^/]+)\/executions(?:\/([^/]+))?$/.exec(request.path);
    if (!match?.[1]) return googleError(404, 'NOT_FOUND', `no route ${request.method} ${request.path}`);
    const fault = faults.shift();
    if (fault) return fault;
    const [, workflow, id] = match;
    if (!workflows.includes(workflow)) return googleError(404, 'NOT_FOUND', `Resource '${workflow}' was not found`);
    if (request.method === 'POST' && id === undefined) return create(executions, workflow, request, `e${String((counter += 1)).padStart(4, '0')}`);
    if (request.method === 'GET' && id !== undefined) {
      const found = executions.get(id);
      return found ? { status: 200, body: found } : googleError(404, 'NOT_FOUND', `Resource '${workflow}/executions/${id}' was not found`);
    }
    if (request.method === 'GET') return list(executions, request);
    return googleError(404, 'NOT_FOUND', `no route ${request.method} ${request.path}`);
  });
  return { ...server, executions, faults };
}

function create(executions: Map<string, FakeExecution>, workflow: string, request: SeenRequest, id: string): Reply {
  if (request.query !== '') return googleError(400, 'INVALID_ARGUMENT', `unexpected query ${request.query}`);
  const body = JSON.parse(request.body) as Record<string, unknown>;
  const unknown = Object.keys(body).filter((key) => !executionFields.has(key));
  if (unknown.length > 0) return googleError(400, 'INVALID_ARGUMENT', `Invalid JSON payload received. Unknown name "${unknown[0]}"`);
  const argument = body['argument'];
  if (typeof argument !== 'string' || Buffer.byteLength(argument) > 32_768 || !isJson(argument)) {
    return googleError(400, 'INVALID_ARGUMENT', 'argument must be JSON text of at most 32KB');
  }
  const level = body['callLogLevel'];
  if (level !== undefined && (typeof level !== 'string' || !callLogLevels.has(level))) return googleError(400, 'INVALID_ARGUMENT', `bad callLogLevel ${String(level)}`);
  const execution: FakeExecution = {
    name: `${workflow}/executions/${id}`,
    state: 'ACTIVE',
    argument,
    ...(level === undefined ? {} : { callLogLevel: level }),
    startTime: new Date(Date.UTC(2025, 0, 1, 0, 0, executions.size)).toISOString(),
    workflowRevisionId: '000001-abc',
  };
  executions.set(id, execution);
  return { status: 200, body: execution };
}

function list(executions: Map<string, FakeExecution>, request: SeenRequest): Reply {
  const filter = request.params.get('filter');
  const states = filter === null ? undefined : statesOf(filter);
  if (filter !== null && states === undefined) return googleError(400, 'INVALID_ARGUMENT', `unsupported filter ${filter}`);
  const view = request.params.get('view') ?? 'BASIC';
  if (view !== 'BASIC' && view !== 'FULL') return googleError(400, 'INVALID_ARGUMENT', `bad view ${view}`);
  // The page size is capped at 1000 for BASIC and 100 for FULL, as the list method documents.
  const pageSize = Math.min(Number(request.params.get('pageSize') ?? 100), view === 'FULL' ? 100 : 1000);
  const offset = Number(request.params.get('pageToken') ?? 0);
  const matching = [...executions.values()].reverse().filter((execution) => states === undefined || states.includes(execution.state));
  const shown = (execution: FakeExecution) => (view === 'FULL' ? execution : Object.fromEntries(basicFields.filter((key) => key in execution).map((key) => [key, execution[key as keyof FakeExecution]])));
  const page = matching.slice(offset, offset + pageSize).map(shown);
  const next = offset + pageSize < matching.length ? { nextPageToken: String(offset + pageSize) } : {};
  return { status: 200, body: { executions: page, ...next } };
}

const stateNames = new Set(['ACTIVE', 'QUEUED', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'UNAVAILABLE']);

/** `state="X"`, or several joined by ` OR ` (AIP-160's disjunction), each state a real enum name. */
function statesOf(filter: string): string[] | undefined {
  const states = filter.split(' OR ').map((term) => /^state="([A-Z]+)"$/.exec(term)?.[1]);
  return states.every((state): state is string => state !== undefined && stateNames.has(state)) ? states : undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
