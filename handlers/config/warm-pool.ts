import { z } from 'zod';
import { parseDuration } from './duration.ts';

/**
 * A template's warm pool: `minIdle` runners registered and booted ahead of jobs, replaced as jobs
 * take them, recycled after `maxIdleAge`, counted against `maxRunners`; optionally only within a
 * weekly schedule in a time zone.
 */
export interface WarmPool {
  readonly minIdle: number;
  readonly maxIdleAgeSeconds: number;
  /** The account whose runners they are (lowercased): an organization, or a user with `repository`. */
  readonly owner: string;
  /** Set: the warm runners register on this repository of `owner` (user accounts, `runnerScope: repository`). */
  readonly repository?: string;
  readonly schedule?: WarmSchedule;
}

export interface WarmSchedule {
  /** IANA name, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
  /** Days the window opens on, `mon` … `sun`. */
  readonly days: readonly Weekday[];
  /** Minutes after midnight, local time; `to` before `from` runs past midnight. */
  readonly fromMinute: number;
  readonly toMinute: number;
}

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day such as 08:00');

export const warmPoolSchema = z
  .object({
    minIdle: z.number().int().min(1).max(100),
    maxIdleAge: z.string().refine((text) => (parseDuration(text) ?? 0) >= 300 && (parseDuration(text) ?? 0) <= 86400, 'a duration from 5m to 24h, such as 1h'),
    owner: z.string().regex(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,38})$/, 'a GitHub account login'),
    repository: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'a repository name, without its owner'),
    schedule: z
      .object({
        timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin'),
        days: z.array(z.enum(weekdays)).min(1).default([...weekdays]),
        from: clock,
        to: clock,
      })
      .strict()
      .refine((schedule) => schedule.from !== schedule.to, 'from and to must differ'),
  })
  .partial({ maxIdleAge: true, owner: true, repository: true, schedule: true })
  .strict();

export const defaultMaxIdleAge = '1h';

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const minutesOf = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));

/**
 * The pool as the service uses it. `owner` defaults to the only owner `access.owners` allows;
 * returns a problem (naming the field) instead where it cannot be known.
 */
export function resolveWarmPool(input: z.infer<typeof warmPoolSchema>, allowedOwners: readonly string[], maxRunners: number, index: number): WarmPool | string {
  const field = `templates[${index}].warmPool`;
  const owner = (input.owner ?? (allowedOwners.length === 1 ? allowedOwners[0] : undefined))?.toLowerCase();
  if (owner === undefined) return `${field}.owner: name the organization (or user, with repository) whose warm runners these are; access.owners does not name exactly one`;
  if (allowedOwners.length > 0 && !allowedOwners.includes(owner)) return `${field}.owner: ${owner} is not among access.owners, so none of its jobs would be served`;
  if (input.minIdle > maxRunners) return `${field}.minIdle: ${input.minIdle} idle runners cannot fit under maxRunners ${maxRunners}`;
  const schedule = input.schedule && { timeZone: input.schedule.timeZone, days: input.schedule.days, fromMinute: minutesOf(input.schedule.from), toMinute: minutesOf(input.schedule.to) };
  return Object.freeze({
    minIdle: input.minIdle,
    maxIdleAgeSeconds: parseDuration(input.maxIdleAge ?? defaultMaxIdleAge) ?? 0,
    owner,
    ...(input.repository === undefined ? {} : { repository: input.repository }),
    ...(schedule === undefined ? {} : { schedule: Object.freeze(schedule) }),
  });
}

/** How many idle runners the pool keeps at `nowMs`: `minIdle` within its schedule (or without one), else none. */
export function warmTarget(pool: WarmPool, nowMs: number): number {
  if (pool.schedule === undefined) return pool.minIdle;
  return withinSchedule(pool.schedule, nowMs) ? pool.minIdle : 0;
}

export function withinSchedule(schedule: WarmSchedule, nowMs: number): boolean {
  const { day, minute } = localTime(schedule.timeZone, nowMs);
  const { fromMinute, toMinute, days } = schedule;
  if (fromMinute < toMinute) return days.includes(day) && minute >= fromMinute && minute < toMinute;
  // Past midnight (e.g. 22:00–06:00): the window opened on `days`, so the small hours belong to the day before.
  if (minute >= fromMinute) return days.includes(day);
  return minute < toMinute && days.includes(weekdays[(weekdays.indexOf(day) + 6) % 7]!);
}

function localTime(timeZone: string, nowMs: number): { day: Weekday; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(nowMs);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return { day: part('weekday').toLowerCase().slice(0, 3) as Weekday, minute: Number(part('hour')) * 60 + Number(part('minute')) };
}

/** The longest a runner of this template may wait for a job: the idle timeout, or a warm runner's maximum idle age. */
export function longestIdleSeconds(template: { readonly idleTimeoutSeconds: number; readonly warmPool?: WarmPool }): number {
  return Math.max(template.idleTimeoutSeconds, template.warmPool?.maxIdleAgeSeconds ?? 0);
}
