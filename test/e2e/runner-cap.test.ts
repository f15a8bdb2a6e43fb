import test from 'ava';
import { eventually, startTestSystem, testTemplates, trackPeakVms } from '../helpers/system.ts';

test('a burst of 40 queued jobs never has more than maxRunners VMs, and every job gets one as slots free', async (t) => {
  const templates = testTemplates('30s').replace('maxRunners: 50', 'maxRunners: 5');
  const world = await startTestSystem({ templates, admissionRetrySeconds: 0.1, autoRunMs: 150 });
  const vms = trackPeakVms(world);
  try {
    const jobs = await Promise.all(Array.from({ length: 40 }, () => world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] })));
    await eventually(() => jobs.every((job) => world.github.job(job.id)?.status === 'completed'), 60_000, 'every job done');
    await eventually(() => world.compute.counts().live === 0, 10_000, 'every VM deleted');
    t.true(vms.peak() <= 5, `peak ${vms.peak()}`);
    t.is(vms.peak(), 5, 'the cap was reached');
    t.is(world.compute.counts().inserted, 40, 'one VM per job');
    t.true(world.logger.lines().some((line) => line['message'] === 'template full: the job waits'));
  } finally {
    await world.system.close();
  }
});
