import test from 'ava';
import type { InstanceInfo } from '../../handlers/compute/compute.ts';
import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { freeOrphanSlots, SLOT_GRACE_MS } from '../../handlers/reaper/free-orphan-slots.ts';
import { createAdmissionSlots } from '../../handlers/state/admission-slots.ts';
import { createLocalStateStore } from '../../handlers/state/local-state-store.ts';

const templates = parseTemplatesFile('templates:\n  - name: linux\n    labels: [self-hosted, linux]\n    maxRunners: 10\n');
const vm = (name: string) => ({ name }) as InstanceInfo;

test('the reaper frees a slot whose VM and execution are both gone, and no other', async (t) => {
  let now = Date.now();
  const slots = createAdmissionSlots(createLocalStateStore(), () => now);
  for (const name of ['ghr-linux-1-1', 'ghr-linux-2-1', 'ghr-linux-3-1', 'ghr-linux-4-1']) await slots.take('linux', name, 10);
  now += SLOT_GRACE_MS;
  await slots.take('linux', 'ghr-linux-5-1', 10); // just taken: its execution may be starting
  const logger = createMemoryLogger('info');
  const activeRuns = { runnerNames: async () => new Set(['ghr-linux-2-1']) };
  const freed = await freeOrphanSlots([vm('ghr-linux-1-1')], { slots, activeRuns, templates, log: logger.log, now: () => now });
  t.deepEqual(freed.sort(), ['ghr-linux-3-1', 'ghr-linux-4-1']);
  t.deepEqual(Object.keys(await slots.holders('linux')).sort(), ['ghr-linux-1-1', 'ghr-linux-2-1', 'ghr-linux-5-1']);
  t.true(logger.lines().some((line) => line['message'] === 'reaper freed a runner slot: neither its VM nor its execution remains' && line['runnerName'] === 'ghr-linux-3-1'));
});
