import { googleError, startFakeServer, type FakeServer, type Reply, type SeenRequest } from './fake-http.ts';

/** A task the fake accepted, with its body decoded from base64. */
export interface FakeTask {
  readonly name: string;
  readonly url: string;
  readonly httpMethod: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly oidcToken: { readonly serviceAccountEmail: string; readonly audience?: string };
}

export interface FakeCloudTasks extends FakeServer {
  readonly tasks: Map<string, FakeTask>;
  /** The next createTask calls answer these, in order, instead of creating a task. */
  readonly faults: Reply[];
}

const taskFields = new Set(['name', 'httpRequest', 'scheduleTime', 'dispatchDeadline']);
const httpRequestFields = new Set(['url', 'httpMethod', 'headers', 'body', 'oidcToken', 'oauthToken']);
/** google.cloud.tasks.v2.HttpMethod: POST = 1 … OPTIONS = 7. */
const post = 1;

/**
 * Cloud Tasks v2 over REST as @google-cloud/tasks 7 speaks it with `fallback: true`:
 * `POST /v2/{queue}/tasks?$alt=json;enum-encoding=int`, enums as integers both ways, `body` as
 * base64. Strict: a field it does not know, a string enum or a malformed name is a 400, as is
 * everything the real API refuses that we could send; a repeated task name is 409 ALREADY_EXISTS.
 */
export async function startFakeCloudTasks(queues: readonly string[]): Promise<FakeCloudTasks> {
  const tasks = new Map<string, FakeTask>();
  const faults: Reply[] = [];
  const server = await startFakeServer((request) => {
    const match = /^\/v2\/(projects\/[^/]+\/locations\/[^/]+\/queues\/[^/]+)\/tasks$/.exec(request.path);
    if (request.method !== 'POST' || !match?.[1]) return googleError(404, 'NOT_FOUND', `no route ${request.method} ${request.path}`);
    if (request.query !== '$alt=json;enum-encoding=int') return googleError(400, 'INVALID_ARGUMENT', `unexpected query ${request.query}`);
    const fault = faults.shift();
    if (fault) return fault;
    if (!queues.includes(match[1])) return googleError(404, 'NOT_FOUND', `Queue does not exist. ${match[1]}`);
    return createTask(tasks, match[1], request);
  });
  return { ...server, tasks, faults };
}

function createTask(tasks: Map<string, FakeTask>, queue: string, request: SeenRequest): Reply {
  if (!String(request.headers['content-type']).startsWith('application/json')) return googleError(400, 'INVALID_ARGUMENT', 'not JSON');
  const { task, ...rest } = JSON.parse(request.body) as { task?: Record<string, unknown> };
  const invalid = problemOf(queue, task, rest);
  if (invalid) return googleError(400, 'INVALID_ARGUMENT', invalid);
  const http = task!['httpRequest'] as Record<string, unknown>;
  const accepted: FakeTask = {
    name: task!['name'] as string,
    url: http['url'] as string,
    httpMethod: http['httpMethod'] as number,
    headers: (http['headers'] ?? {}) as Record<string, string>,
    body: Buffer.from(String(http['body'] ?? ''), 'base64').toString('utf8'),
    oidcToken: http['oidcToken'] as FakeTask['oidcToken'],
  };
  if (tasks.has(accepted.name)) return googleError(409, 'ALREADY_EXISTS', 'Requested entity already exists');
  tasks.set(accepted.name, accepted);
  const { body: _body, ...basic } = http; // the BASIC view leaves the payload out
  return { status: 200, body: { name: accepted.name, httpRequest: basic, createTime: new Date().toISOString(), scheduleTime: new Date().toISOString(), dispatchCount: 0, responseCount: 0, view: 1 } };
}

function problemOf(queue: string, task: Record<string, unknown> | undefined, rest: Record<string, unknown>): string | undefined {
  if (Object.keys(rest).length > 0) return `unknown request fields ${Object.keys(rest).join(', ')}`;
  if (!task) return 'task is required';
  const unknown = Object.keys(task).filter((key) => !taskFields.has(key));
  if (unknown.length > 0) return `unknown task fields ${unknown.join(', ')}`;
  const name = task['name'];
  if (typeof name !== 'string' || !name.startsWith(`${queue}/tasks/`) || !/^[A-Za-z0-9_-]{1,500}$/.test(name.slice(queue.length + 7))) {
    return `bad task name ${String(name)}`;
  }
  const http = task['httpRequest'] as Record<string, unknown> | undefined;
  if (!http) return 'httpRequest is required';
  const unknownHttp = Object.keys(http).filter((key) => !httpRequestFields.has(key));
  if (unknownHttp.length > 0) return `unknown httpRequest fields ${unknownHttp.join(', ')}`;
  if (typeof http['url'] !== 'string' || !/^https?:\/\//.test(http['url'])) return 'httpRequest.url must be an absolute http(s) URL';
  if (http['httpMethod'] !== post) return `httpMethod must be the integer ${post} (POST), got ${JSON.stringify(http['httpMethod'])}`;
  if (http['body'] !== undefined && (typeof http['body'] !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(http['body']))) return 'body must be base64';
  const oidc = http['oidcToken'] as Record<string, unknown> | undefined;
  if (oidc && typeof oidc['serviceAccountEmail'] !== 'string') return 'oidcToken.serviceAccountEmail is required';
  return undefined;
}
