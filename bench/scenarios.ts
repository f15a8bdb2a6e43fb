import type { Scenario } from './scenario.ts';

/** The scenarios in the order `npm run bench` runs them, each in its own process. */
export const scenarios: Readonly<Record<string, { readonly title: string; readonly load: () => Promise<{ run: Scenario }> }>> = {
  'webhook-throughput': { title: '1. signed webhooks/s: app vs bare HMAC server', load: () => import('./webhook-throughput.ts') },
  latency: { title: '2-3. queued → insert, completed → delete', load: () => import('./latency.ts') },
  burst: { title: '4. burst of 1,000 queued jobs at 20 creates/s', load: () => import('./burst.ts') },
  'burst-faults': { title: '6. 500 jobs, cap 50, 5 % of outward calls failing (issue #5)', load: () => import('./burst-with-faults.ts') },
  admission: { title: '7. admission throughput at the cap with the shared state store (issue #12)', load: () => import('./admission.ts') },
  'warm-pool': { title: '8. queue time and VM time with and without a warm pool (issue #14)', load: () => import('./warm-pool.ts') },
  'waiting-executions': { title: '5. memory of 10,000 waiting runner.yaml executions', load: () => import('./waiting-executions.ts') },
};
