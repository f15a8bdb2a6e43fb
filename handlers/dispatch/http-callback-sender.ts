import { RunnerError } from '../errors.ts';
import type { CallbackSender } from './ports.ts';

export interface HttpCallbackSenderOptions {
  /** Authorization for Cloud Workflows callbacks (an OAuth2 token from ADC); none for the embedded engine. */
  readonly authHeaders?: () => Promise<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** Posts runner events to execution callback URLs; 404 means the execution has ended. */
export function createHttpCallbackSender(options: HttpCallbackSenderOptions = {}): CallbackSender {
  return {
    async send(url, event) {
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
      if (response.status >= 500) throw new RunnerError('unavailable', `callback post answered ${response.status}`);
      throw new RunnerError('fatal', `callback post answered ${response.status}`);
    },
  };
}
