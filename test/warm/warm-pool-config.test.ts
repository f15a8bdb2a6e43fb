import test from 'ava';
import { parseTemplatesFile, TemplatesFileError } from '../../handlers/config/templates-file.ts';
import { warmTarget, withinSchedule } from '../../handlers/config/warm-pool.ts';
import { runnerSteps } from '../../handlers/config/execution-limits.ts';

const file = (pool: string, access = 'access:\n  owners: [Octo-Org]\n') => `
templates:
  - name: linux
    labels: [self-hosted, linux]
    maxRunners: 4
    warmPool:
${pool
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
${access}`;

const problems = (source: string) => {
  try {
    parseTemplatesFile(source);
    return [];
  } catch (error) {
    return (error as TemplatesFileError).problems;
  }
};

test('a warm pool takes its owner from access.owners when that names one, and defaults maxIdleAge to 1h', (t) => {
  const pool = parseTemplatesFile(file('minIdle: 2')).templates[0]!.warmPool!;
  t.deepEqual(pool, { minIdle: 2, maxIdleAgeSeconds: 3600, owner: 'octo-org' });
});

test('warm pool problems name the field: no owner to default to, an owner not served, more idle than maxRunners, a bad time zone', (t) => {
  t.regex(problems(file('minIdle: 1', '')).join('\n'), /templates\[0\]\.warmPool\.owner: name the organization/);
  t.regex(problems(file('minIdle: 1\nowner: other')).join('\n'), /warmPool\.owner: other is not among access\.owners/);
  t.regex(problems(file('minIdle: 5')).join('\n'), /warmPool\.minIdle: 5 idle runners cannot fit under maxRunners 4/);
  t.regex(problems(file('minIdle: 1\nschedule:\n  timeZone: Mars/Olympus\n  from: "08:00"\n  to: "18:00"')).join('\n'), /warmPool\.schedule\.timeZone: an IANA time zone/);
  t.regex(problems(file('minIdle: 1\nmaxIdleAge: 2m')).join('\n'), /warmPool\.maxIdleAge: a duration from 5m to 24h/);
  t.regex(problems(file('minIdle: 1\nspare: 1')).join('\n'), /warmPool: Unrecognized key/);
});

test('a long maxIdleAge counts in the execution step budget like a long idle timeout', (t) => {
  const [template] = parseTemplatesFile(file('minIdle: 1\nmaxIdleAge: 24h')).templates;
  const { warmPool: _pool, ...withoutPool } = template!;
  t.true(runnerSteps.worstCase(template!) > runnerSteps.worstCase(withoutPool) + 200, 'a day of idle checks every 5 min adds 288 checks');
});

// 2026-12-07 is a Monday. Europe/Berlin is UTC+1 in December.
const at = (iso: string) => Date.parse(iso);
const working = { timeZone: 'Europe/Berlin', days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, fromMinute: 8 * 60, toMinute: 18 * 60 };

test('a schedule is read in its own time zone', (t) => {
  t.false(withinSchedule(working, at('2026-12-07T06:59:00Z')), '07:59 in Berlin');
  t.true(withinSchedule(working, at('2026-12-07T07:00:00Z')), '08:00 in Berlin');
  t.true(withinSchedule(working, at('2026-12-07T16:59:00Z')), '17:59 in Berlin');
  t.false(withinSchedule(working, at('2026-12-07T17:00:00Z')), '18:00 in Berlin: the window has closed');
  t.false(withinSchedule(working, at('2026-12-05T10:00:00Z')), 'a Saturday');
});

test('a window past midnight belongs to the day it opened on', (t) => {
  const nights = { timeZone: 'UTC', days: ['fri'] as const, fromMinute: 22 * 60, toMinute: 6 * 60 };
  t.true(withinSchedule(nights, at('2026-12-04T23:00:00Z')), 'Friday 23:00');
  t.true(withinSchedule(nights, at('2026-12-05T05:00:00Z')), 'Saturday 05:00, still Friday night');
  t.false(withinSchedule(nights, at('2026-12-06T05:00:00Z')), 'Sunday 05:00: Saturday night is not in the schedule');
  t.false(withinSchedule(nights, at('2026-12-04T21:00:00Z')), 'Friday 21:00');
});

test('outside its schedule a pool keeps no idle runner', (t) => {
  const pool = { minIdle: 3, maxIdleAgeSeconds: 3600, owner: 'o', schedule: working };
  t.is(warmTarget(pool, at('2026-12-07T09:00:00Z')), 3);
  t.is(warmTarget(pool, at('2026-12-07T20:00:00Z')), 0);
  t.is(warmTarget({ minIdle: 3, maxIdleAgeSeconds: 3600, owner: 'o' }, at('2026-12-07T20:00:00Z')), 3);
});
