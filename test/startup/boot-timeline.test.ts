import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import test from 'ava';
import { parseBootTimeline, percentile, summarize } from '../../scripts/boot-timeline.ts';

/** A serial console as a VM prints it: the guest agent's prefix, then startup.sh's and the runner's lines. */
function serial(start: string, runnerStart: string, online: string | null): string {
  return [
    '[    0.000000] Linux version 6.8.0-1015-gcp (buildd@lcy02-amd64-064)',
    `Dec 04 10:00:10 gh-1 google_metadata_script_runner[812]: startup-script: ${start} gh-runner: stage: script-start`,
    `Dec 04 10:00:10 gh-1 google_metadata_script_runner[812]: startup-script: ${start} gh-runner: using the runner preinstalled in /opt/actions-runner (version 2.336.0)`,
    `Dec 04 10:00:11 gh-1 google_metadata_script_runner[812]: startup-script: ${runnerStart} gh-runner: stage: runner-start as runner; idle timeout 600s`,
    ...(online === null ? [] : [`Dec 04 10:00:14 gh-1 google_metadata_script_runner[812]: startup-script: ${online}: Listening for Jobs`]),
    `Dec 04 10:00:30 gh-1 google_metadata_script_runner[812]: startup-script: 2026-12-04T10:00:30.000Z gh-runner: stage: script-start`,
  ].join('\n');
}

test('a VM timeline reads each stage from Compute Engine timestamps and the serial console', (t) => {
  const timeline = parseBootTimeline(serial('2026-12-04T10:00:10.500Z', '2026-12-04T10:00:11.250Z', '2026-12-04 10:00:14Z'), {
    creationTimestamp: '2026-12-04T01:59:58.000-08:00',
    lastStartTimestamp: '2026-12-04T02:00:03.500-08:00',
  });
  t.deepEqual(timeline, { provisioning: 5.5, guestBoot: 7, runnerInstall: 0.75, runnerConnect: 2.75, total: 16 });
});

test('a VM whose runner never came online has the stages it reached, and its total ends at the last', (t) => {
  const timeline = parseBootTimeline(serial('2026-12-04T10:00:10.000Z', '2026-12-04T10:00:40.000Z', null), {
    creationTimestamp: '2026-12-04T10:00:00.000Z',
    lastStartTimestamp: '2026-12-04T10:00:04.000Z',
  });
  t.deepEqual(timeline, { provisioning: 4, guestBoot: 6, runnerInstall: 30, total: 40 });
  t.deepEqual(parseBootTimeline('', { creationTimestamp: '2026-12-04T10:00:00Z' }), {});
});

test('p50 and p95 are nearest-rank percentiles over the VMs that reached each stage', (t) => {
  const values = Array.from({ length: 20 }, (_, index) => index + 1);
  t.is(percentile(values, 0.5), 10);
  t.is(percentile(values, 0.95), 19);
  t.is(percentile([], 0.5), undefined);
  const rows = summarize([{ provisioning: 4, total: 20 }, { provisioning: 6, total: 30, runnerConnect: 2 }, { provisioning: 5 }]);
  t.deepEqual(rows.find((row) => row.stage === 'provisioning'), { stage: 'provisioning', count: 3, p50: 5, p95: 6, max: 6 });
  t.deepEqual(rows.find((row) => row.stage === 'guestBoot'), { stage: 'guestBoot', count: 0 });
});

test('boot-times.ts prints the table for a directory of collected VMs', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'boot-times-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'gh-1.json'), JSON.stringify({ creationTimestamp: '2026-12-04T10:00:00.000Z', lastStartTimestamp: '2026-12-04T10:00:05.000Z' }));
  writeFileSync(join(dir, 'gh-1.serial.txt'), serial('2026-12-04T10:00:12.000Z', '2026-12-04T10:00:13.000Z', '2026-12-04 10:00:16Z'));
  writeFileSync(join(dir, 'gh-2.json'), JSON.stringify({ creationTimestamp: '2026-12-04T10:00:00.000Z', lastStartTimestamp: '2026-12-04T10:00:04.000Z' }));
  const script = resolve(import.meta.dirname, '../../scripts/boot-times.ts');
  const output = execFileSync(process.execPath, [script, dir], { encoding: 'utf8' });
  t.regex(output, /^2 VMs$/m);
  t.regex(output, /^provisioning\s+2\s+4\.0s\s+5\.0s\s+5\.0s$/m);
  t.regex(output, /^runnerConnect\s+1\s+3\.0s\s+3\.0s\s+3\.0s$/m);
  t.regex(output, /^total\s+2\s+4\.0s\s+16\.0s\s+16\.0s$/m);
});
