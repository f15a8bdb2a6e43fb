import type { RunnerTemplate, TemplatesConfig } from '../config/types.ts';
import { warmTarget, type WarmPool } from '../config/warm-pool.ts';
import type { ActiveRuns } from '../dispatch/admission.ts';
import type { Executions } from '../dispatch/ports.ts';
import type { GitHub, InstallationInfo } from '../github/github.ts';
import type { Log } from '../log/logger.ts';
import { parseRunnerName, runnerNamePrefix } from '../runner-name.ts';
import type { StateStore } from '../state/state-store.ts';
import type { WarmRunnerArgument } from './warm-argument.ts';
import { createWarmSeats, type Seat } from './warm-seats.ts';

export interface WarmPoolsDeps {
  readonly store: StateStore;
  readonly executions: Executions;
  /** null until the GitHub App is set up: no pool can register runners then. */
  readonly github: () => GitHub | null;
  readonly templates: TemplatesConfig;
  readonly activeRuns: ActiveRuns;
  readonly log: Log;
  readonly now: () => number;
}

/**
 * How long a queued job counts on the warm runner it claimed: GitHub gives a job to an idle runner
 * within seconds, and a booting one registers within about two minutes; after that the job makes
 * its own VM.
 */
export const claimTtlMs = 3 * 60_000;
/** How often a job holding a claim asks again whether a runner took it. */
export const claimRecheckSeconds = 5;
/** A seat's runner younger than this may have an execution just starting, not listed yet. */
const startGraceMs = 2 * 60_000;
const installationsTtlMs = 10 * 60_000;

export interface TendReport {
  readonly template: string;
  readonly target: number;
  readonly started: readonly string[];
  readonly closed: readonly string[];
  readonly problem?: string;
}

/**
 * Keeps each template's warm pool at its target. A seat's runner is replaced when a job takes it
 * (the dispatcher saw its `in_progress`), when it ends unused (its maximum idle age: delete-vm), and
 * by `tend` when its execution is gone or GitHub reports it busy (an event was lost); seats above
 * the target (outside the schedule, a lowered `minIdle`) are closed, and their runners retire at
 * their next VM check. Queued jobs claim an idle seat's runner instead of booting a VM.
 */
export function createWarmPools(deps: WarmPoolsDeps) {
  const seats = createWarmSeats(deps.store, deps.now);
  let installations: { at: number; list: Promise<InstallationInfo[]> } | null = null;
  const poolOf = (templateName: string): { template: RunnerTemplate; pool: WarmPool } | null => {
    const template = deps.templates.templates.find((candidate) => candidate.name === templateName);
    return template?.warmPool ? { template, pool: template.warmPool } : null;
  };

  /** Where the pool's runners register: its owner's installation, at the organization or `repository`. */
  const scopeOf = async (template: RunnerTemplate, pool: WarmPool): Promise<Omit<WarmRunnerArgument, 'warm' | 'templateName' | 'runnerName'>> => {
    const github = deps.github();
    if (github === null) throw new Error('the GitHub App is not set up');
    if (installations === null || installations.at + installationsTtlMs < deps.now()) installations = { at: deps.now(), list: github.listInstallations() };
    const list = await installations.list.catch((error: unknown) => {
      installations = null;
      throw error;
    });
    const installation = list.find((candidate) => candidate.owner.toLowerCase() === pool.owner);
    if (!installation) throw new Error(`the App is not installed on ${pool.owner}`);
    const ownerIsOrganization = installation.ownerType === 'Organization';
    const atRepository = !ownerIsOrganization || template.runnerScope === 'repository';
    if (atRepository && pool.repository === undefined) throw new Error(`${pool.owner}'s jobs get repository runners: set warmPool.repository`);
    return { installationId: installation.installationId, owner: installation.owner, ownerIsOrganization, ...(atRepository && pool.repository !== undefined ? { repo: pool.repository } : {}) };
  };

  /** Moves a seat on from `expected` and starts the new runner's execution. */
  const moveOn = async (template: RunnerTemplate, pool: WarmPool, seat: number, expected: string | null, why: string): Promise<string | null> => {
    const open = seat < warmTarget(pool, deps.now());
    const runnerName = await seats.advance(template.name, seat, expected, open);
    if (runnerName === null) {
      if (!open && expected !== null) deps.log.info({ template: template.name, seat, runnerName: expected, why }, 'warm seat closed');
      return null;
    }
    const generation = parseRunnerName(runnerName)?.warm?.generation ?? 0;
    await deps.executions.start({ warm: { seat, generation }, templateName: template.name, runnerName, ...(await scopeOf(template, pool)) });
    deps.log.info({ template: template.name, seat, runnerName, replaced: expected, why }, 'warm runner started');
    return runnerName;
  };

  /** The seat a warm runner fills, if this name is one. */
  const seatOf = (runnerName: string) => {
    const parsed = parseRunnerName(runnerName);
    const found = parsed?.warm ? poolOf(parsed.templateName) : null;
    return parsed?.warm && found ? { ...found, seat: parsed.warm.seat } : null;
  };

  return {
    /** Claims an idle warm runner of the template for a queued job: true → no VM is needed for it. */
    async claim(templateName: string, jobId: number): Promise<boolean> {
      const found = poolOf(templateName);
      if (found === null || warmTarget(found.pool, deps.now()) === 0) return false;
      return seats.claim(templateName, found.pool.minIdle, jobId, claimTtlMs);
    },
    /** The warm runner a job's live claim counts on, or null. */
    async claimOf(templateName: string, jobId: number): Promise<string | null> {
      const found = poolOf(templateName);
      return found === null ? null : ((await seats.claimOf(templateName, found.pool.minIdle, jobId))?.runner ?? null);
    },
    async releaseClaim(templateName: string, jobId: number): Promise<void> {
      const found = poolOf(templateName);
      if (found !== null) await seats.releaseClaim(templateName, found.pool.minIdle, jobId);
    },
    /** Whether this warm runner still fills its seat (false: replaced or closed, so it retires when idle). */
    async holdsSeat(runnerName: string): Promise<boolean> {
      const found = seatOf(runnerName);
      if (found === null) return false;
      return (await seats.one(found.template.name, found.seat))?.runner === runnerName;
    },
    /**
     * The warm runner no longer waits in its seat: it took a job, or it is being deleted. Its seat
     * gets a new runner (or closes, above the target). Idempotent: a second call finds the seat moved on.
     */
    async replace(runnerName: string, why: string): Promise<string | null> {
      const found = seatOf(runnerName);
      return found === null ? null : moveOn(found.template, found.pool, found.seat, runnerName, why);
    },
    /** Closes the warm runner's seat (it found no free runner slot): `fill` reopens it once one frees. */
    async close(runnerName: string): Promise<void> {
      const found = seatOf(runnerName);
      if (found !== null) await seats.advance(found.template.name, found.seat, runnerName, false);
    },
    /** Opens the template's closed seats under its target: a runner slot has just been freed. */
    async fill(templateName: string): Promise<string[]> {
      const found = poolOf(templateName);
      if (found === null) return [];
      const target = warmTarget(found.pool, deps.now());
      const current = await seats.read(templateName, target);
      const started: string[] = [];
      for (const [index, seat] of current.entries()) {
        if ((seat?.runner ?? null) !== null) continue;
        const next = await moveOn(found.template, found.pool, index, null, 'seat empty');
        if (next !== null) started.push(next);
      }
      return started;
    },
    /** Brings every pool to its target now (the reaper's schedule; also at start). */
    async tend(): Promise<TendReport[]> {
      const reports: TendReport[] = [];
      for (const template of deps.templates.templates) {
        const pool = template.warmPool;
        if (pool === undefined) continue;
        const target = warmTarget(pool, deps.now());
        const started: string[] = [];
        const closed: string[] = [];
        try {
          const current = await seats.read(template.name, pool.minIdle);
          const active = await deps.activeRuns.runnerNames(template.name);
          const busy = await busyRunners(template, pool, current);
          for (const [index, seat] of current.entries()) {
            const runner = seat?.runner ?? null;
            const why = seatNeedsMove(seat, index, target, active, busy, deps.now());
            if (why === null) continue;
            const next = await moveOn(template, pool, index, runner, why);
            if (next !== null) started.push(next);
            else if (runner !== null && index >= target) closed.push(runner);
          }
          reports.push({ template: template.name, target, started, closed });
        } catch (error) {
          const problem = (error as Error).message;
          deps.log.error({ template: template.name, problem }, 'warm pool not tended');
          reports.push({ template: template.name, target, started, closed, problem });
        }
      }
      return reports;
    },
  };

  /** Seat runners GitHub reports busy: they took a job whose `in_progress` never reached us. */
  async function busyRunners(template: RunnerTemplate, pool: WarmPool, current: readonly (Seat | null)[]): Promise<ReadonlySet<string>> {
    const github = deps.github();
    if (github === null || !current.some((seat) => seat?.runner)) return new Set();
    const { installationId, owner, repo } = await scopeOf(template, pool);
    const runners = await github.listRunners(repo === undefined ? { installationId, owner } : { installationId, owner, repo }, `${runnerNamePrefix}${template.name}-w`);
    return new Set(runners.filter((runner) => runner.busy).map((runner) => runner.name));
  }
}

/** Why a seat must move on now, or null when it is as it should be. */
function seatNeedsMove(seat: Seat | null, index: number, target: number, active: ReadonlySet<string>, busy: ReadonlySet<string>, now: number): string | null {
  const runner = seat?.runner ?? null;
  if (index >= target) return runner === null ? null : 'above the pool target';
  if (runner === null) return 'seat empty';
  if (busy.has(runner)) return 'its runner took a job';
  if (!active.has(runner) && (seat?.since ?? 0) + startGraceMs < now) return 'its execution has ended';
  return null;
}

export type WarmPools = ReturnType<typeof createWarmPools>;

/** The pools over the executions port of whichever engine runs: the embedded one or Cloud Workflows. */
export type WarmPoolsFactory = (ports: Pick<WarmPoolsDeps, 'executions' | 'activeRuns'>) => WarmPools;
