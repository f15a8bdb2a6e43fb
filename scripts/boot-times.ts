// Prints p50/p95/max of each boot stage for the VMs that startup/time-boots.sh collected:
//   node scripts/boot-times.ts DIR
// DIR holds, per VM, NAME.serial.txt (its serial console) and NAME.json (`instances describe`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBootTimeline, summarize, type InstanceTimes } from './boot-timeline.ts';

const dir = process.argv[2];
if (dir === undefined) {
  console.error('usage: node scripts/boot-times.ts DIR');
  process.exit(2);
}
const names = readdirSync(dir).filter((file) => file.endsWith('.json')).map((file) => file.slice(0, -'.json'.length));
const timelines = names.map((name) => {
  const instance = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as InstanceTimes;
  let serial = '';
  try {
    serial = readFileSync(join(dir, `${name}.serial.txt`), 'utf8');
  } catch {
    // A VM whose console could not be read still has its provisioning time.
  }
  return parseBootTimeline(serial, instance);
});
const format = (value: number | undefined) => (value === undefined ? '-' : `${value.toFixed(1)}s`);
console.log(`${names.length} VMs`);
console.log(['stage'.padEnd(15), 'count'.padStart(5), 'p50'.padStart(8), 'p95'.padStart(8), 'max'.padStart(8)].join(' '));
for (const row of summarize(timelines)) {
  console.log([row.stage.padEnd(15), String(row.count).padStart(5), format(row.p50).padStart(8), format(row.p95).padStart(8), format(row.max).padStart(8)].join(' '));
}
