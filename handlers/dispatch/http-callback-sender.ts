import { RunnerError } from '../errors.ts';
import type { ExecutionStates } from '../reaper/ports.ts';
import type { CallbackSender } from './ports.ts';

/**
 * Where our runner executions' callbacks live: Cloud Workflows' `sendHttpCallback` path
 * (https://cloud.google.com/workflows/docs/reference/executions/rest/v1/projects.locations.workflows.executions.callbacks/sendHttpCallback)
 * under `base`, which is `https://workflowexecutions.googleapis.com` on Google Cloud and the
 * embedded engine's URL locally. The project segment may be the project's number, so any is taken.
 */
export interface CallbackEndpoints {
  /** null: any origin, for the embedded engine, whose executions may live in another process and which is sent no credential. */
  readonly base: string | null;
  readonly location: string;
  readonly workflow: string;
}

export const cloudWorkflowsCallbackBase = 'https://workflowexecutions.googleapis.com';

export interface HttpCallbackSenderOptions {
  readonly endpoints: CallbackEndpoints;
  /** Authorization for Cloud Workflows callbacks (an OAuth2 token from ADC); none for the embedded engine. */
  readonly authHeaders?: () => Promise<Record<string, string>>;
  /** Asked when a callback is refused with a 4xx: has its execution ended? */
  readonly executionStates: ExecutionStates;
  readonly timeoutMs?: number;
}

/** The execution id in a callback URL of ours, or null for any other URL. */
export function executionOfCallback(url: string, endpoints: CallbackEndpoints): string | null {
  let path: string;
  if (endpoints.base === null) {
    if (!URL.canParse(url)) return null;
    const parsed = new URL(url);
    path = parsed.pathname.replace(/^.*(?=\/v1\/projects\/)/, '');
  } else {
    if (!url.startsWith(`${endpoints.base}/`)) return null;
    path = url.slice(endpoints.base.length);
  }
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^/v1/projects/[^/]+/locations/${escape(endpoints.location)}/workflows/${escape(endpoints.workflow)}/executions/([^/]+)/callbacks/[^/?#]+$`);
  return pattern.exec(path)?.[1] ?? null;
}

/**
 * Posts runner events to execution callback URLs read from a VM's metadata. Only our workflow's
 * callback endpoints get the request (and the access token with it): a VM's metadata is not to be
 * trusted with where the token goes. 404 means the execution has ended; another 4xx asks the
 * execution's state rather than being retried by the queue for a day.
 */
export function createHttpCallbackSender(options: HttpCallbackSenderOptions): CallbackSender {
  if (options.endpoints.base === null && options.authHeaders) throw new Error('a callback sender that attaches credentials must name the one origin it sends them to');
  return {
    async send(url, event) {
      const executionId = executionOfCallback(url, options.endpoints);
      if (executionId === null) return 'not_ours';
      const headers = { 'content-type': 'application/json', ...(await options.authHeaders?.()) };
      let response: Response;
      try {
        response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(event), signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
      } catch (error) {
        throw new RunnerError('unavailable', `callback post failed: ${(error as Error).message}`, { cause: error });
      }
      await response.body?.cancel();
      if (response.ok) return 'delivered';
      if (response.status === 404) return 'gone';
      if (response.status === 429) throw new RunnerError('rate_limited', 'callback post answered 429');
      // 401/403 right after a deploy are IAM grants still propagating: worth another try.
      if (response.status >= 500 || response.status === 401 || response.status === 403) throw new RunnerError('unavailable', `callback post answered ${response.status}`);
      return refusedOutcome(response.status, executionId, options.executionStates);
    },
  };
}

async function refusedOutcome(status: number, executionId: string, states: ExecutionStates): Promise<'gone' | 'refused'> {
  const state = await states.state(executionId).catch(() => 'UNKNOWN' as const);
  if (state === 'ENDED') return 'gone';
  if (state === 'UNKNOWN') throw new RunnerError('unavailable', `callback post answered ${status} and the execution's state is unknown`);
  return 'refused';
}
