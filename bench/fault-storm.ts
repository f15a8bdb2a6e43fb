import type { ComputeSimulator } from '../simulators/compute/start-compute-simulator.ts';
import type { FaultRule } from '../simulators/compute/sim-types.ts';
import type { GitHubSimulator } from '../simulators/github/start-github-simulator.ts';

/** One-shot failures of the kinds a real day brings, for every outward call the product makes. */
const computeFaults: readonly Omit<FaultRule, 'times'>[] = [
  { call: 'insert', kind: 'unavailable' },
  { call: 'insert', kind: 'rate_limit' },
  { call: 'insert', kind: 'stockout' },
  { call: 'insert', kind: 'quota' },
  { call: 'operationWait', kind: 'unavailable' },
  { call: 'get', kind: 'unavailable' },
  { call: 'aggregatedList', kind: 'unavailable' },
  { call: 'delete', kind: 'unavailable' },
  { call: 'delete', kind: 'not_ready' },
];
const githubFaults = [
  { method: 'POST', path: '/orgs/:org/actions/runners/generate-jitconfig', status: 500 },
  { method: 'POST', path: '/orgs/:org/actions/runners/generate-jitconfig', status: 429, headers: { 'retry-after': '1' } },
  { method: 'GET', path: '/repos/:owner/:repo/actions/jobs/:job_id', status: 502 },
  { method: 'DELETE', path: '/orgs/:org/actions/runners/:runner_id', status: 503 },
  { method: 'GET', path: '/orgs/:org/actions/runners', status: 500 },
] as const;

/**
 * Makes about `rate` of the outward calls fail: every tick it counts the calls both simulators
 * received since the last one and arms that fraction of one-shot faults, picked at random.
 */
export function startFaultStorm(compute: ComputeSimulator, github: GitHubSimulator, rate: number, random: () => number) {
  let seenCompute = 0;
  let seenGitHub = 0;
  let owed = 0;
  let armed = 0;
  const timer = setInterval(() => {
    const computeCalls = compute.callCount();
    const githubCalls = github.requests().length;
    owed += (computeCalls - seenCompute + githubCalls - seenGitHub) * rate;
    [seenCompute, seenGitHub] = [computeCalls, githubCalls];
    for (; owed >= 1; owed -= 1, armed += 1) {
      const pick = Math.floor(random() * (computeFaults.length + githubFaults.length));
      if (pick < computeFaults.length) compute.faults.inject({ ...computeFaults[pick]!, times: 1 });
      else github.fail({ ...githubFaults[pick - computeFaults.length]!, times: 1 });
    }
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      compute.faults.clear();
      github.clearFaults();
      return { armed, calls: seenCompute + seenGitHub };
    },
  };
}
