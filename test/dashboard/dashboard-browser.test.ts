import test from 'ava';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { eventually, executionEnd, startTestSystem, testTemplates } from '../helpers/system.ts';

/** `UPDATE_SCREENSHOTS=1 npx ava test/dashboard/dashboard-browser.test.ts` rewrites docs/dashboard.png. */
const screenshotPath = process.env['UPDATE_SCREENSHOTS'] ? resolve(import.meta.dirname, '../../docs/dashboard.png') : null;

const linuxTemplate = testTemplates('3s').replace('maxRunners: 50', 'maxRunners: 3');

test('an operator sees the running job against the cap, each job as a timeline, the failure with its cause, and re-runs it to success', async (t) => {
  if (!hasChromium()) return t.fail('Chromium is missing: apt-get install chromium (as .ci/run does)');
  const world = await startTestSystem({ templates: linuxTemplate });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    // Job B runs first: a job left queued on GitHub (A, once failed) would be taken by B's runner.
    const passing = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    await eventually(() => world.github.job(passing.id)?.status === 'in_progress', 15_000, 'job B in progress');
    await page.goto(world.url);
    t.is((await page.locator('tr.cap[data-template="linux"] .used').textContent())?.trim(), '1 / 3');
    // The current step, down the call stack: the execution waits for the job to end.
    await eventually(async () => (await page.reload(), /await_job › await_event/.test((await page.locator('#active .step').first().textContent()) ?? '')), 5_000, 'the step awaiting the job');
    t.regex((await page.locator('#summary').textContent()) ?? '', /1 active/);

    await world.github.completeJob(passing.id, 'success');
    const [passed] = world.engine.listExecutions('runner');
    t.is((await executionEnd(world, passed!.name)).state, 'SUCCEEDED');
    // Job A fails: GitHub refuses its JIT config once with a 422, which the workflow does not retry.
    world.github.fail({ method: 'POST', path: '/orgs/:org/actions/runners/generate-jitconfig', status: 422, times: 1 });
    const failing = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    const failed = await eventually(() => world.engine.listExecutions('runner').find((execution) => execution.name !== passed!.name), 10_000, 'execution of job A');
    t.is((await executionEnd(world, failed.name)).state, 'FAILED');
    await page.goto(world.url);
    t.is((await page.locator('tr.cap[data-template="linux"] .used').textContent())?.trim(), '0 / 3');
    const passedBar = page.locator(`g.job[data-execution="${passed!.name.split('/').pop()}"]`);
    t.deepEqual(await passedBar.locator('rect.phase').evaluateAll((rects) => rects.map((rect) => rect.getAttribute('data-phase'))), ['admission wait', 'VM create', 'boot to online', 'job', 'VM delete']);
    const failure = page.locator(`tr.failure[data-execution="${failed.name.split('/').pop()}"]`);
    t.regex((await failure.locator('.cause').textContent()) ?? '', /422/);
    const failedBar = page.locator(`g.job[data-execution="${failed.name.split('/').pop()}"] rect.phase`);
    t.deepEqual(await failedBar.evaluateAll((rects) => rects.map((rect) => rect.getAttribute('data-phase'))), ['admission wait', 'failed'], 'the failed job never got a VM');

    // The numbers beside the charts are what the simulators recorded.
    t.regex((await page.locator('div[data-metric="jobs_completed"] .value').textContent()) ?? '', /^1$/);
    t.regex((await page.locator('div[data-metric="vms_created"] .value').textContent()) ?? '', /^1$/);
    const vmSeconds = Number(/([\d.]+) s total/.exec((await page.locator('div[data-metric="vm_seconds"] .value').textContent()) ?? '')?.[1]);
    t.true(Math.abs(vmSeconds - world.metrics.total('vm_seconds')) < 0.06 && vmSeconds > 0, `page says ${vmSeconds} s`);

    await failure.locator('button').click();
    await page.waitForURL(`${world.url}/`);
    await eventually(() => world.github.job(failing.id)?.status === 'in_progress', 15_000, 'job A in progress after the re-run');
    await world.github.completeJob(failing.id, 'success');
    const rerun = await eventually(() => world.engine.listExecutions('runner').find((execution) => execution.name !== failed.name && execution.name !== passed!.name), 5_000, 'the re-run execution');
    t.is((await executionEnd(world, rerun.name)).state, 'SUCCEEDED');
    await page.goto(world.url);
    t.is(await page.locator(`g.job[data-execution="${rerun.name.split('/').pop()}"]`).getAttribute('data-state'), 'SUCCEEDED');
    t.regex((await page.locator('div[data-metric="jobs_completed"] .value').textContent()) ?? '', /^2$/);
    const prometheus = await (await fetch(`${world.url}/metrics`)).text();
    t.regex(prometheus, /^ghr_jobs_completed_total\{template="linux",conclusion="success"\} 2$/m);
    t.regex(prometheus, /^ghr_jobs_queued_total\{template="linux"\} 2$/m);
    if (screenshotPath) {
      // For the README: one more job, caught while it runs.
      const running = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
      await eventually(() => world.github.job(running.id)?.status === 'in_progress', 15_000, 'job C in progress');
      await page.goto(world.url);
      mkdirSync(resolve(screenshotPath, '..'), { recursive: true });
      await page.screenshot({ path: screenshotPath, fullPage: true });
    }
  } finally {
    await browser.close();
    await world.system.close();
  }
});
