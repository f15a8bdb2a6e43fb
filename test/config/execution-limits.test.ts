import test from 'ava';
import { largestArgumentBytes, runnerSteps, stepBudget } from '../../handlers/config/execution-limits.ts';
import { parseTemplatesFile, TemplatesFileError } from '../../handlers/config/templates-file.ts';

function problemsOf(source: string): readonly string[] {
  try {
    parseTemplatesFile(source);
  } catch (error) {
    if (error instanceof TemplatesFileError) return error.problems;
    throw error;
  }
  return [];
}

const template = (fields: string) => `
templates:
  - name: long-jobs
    labels: [self-hosted, linux]
${fields}
access:
  owners: [my-org]
`;

test('a 5-day job checked every 30 seconds could run out of workflow steps: refused at start-up naming the template and the fix', (t) => {
  const problems = problemsOf(template('    maxRunDuration: 120h\n    vmCheckInterval: 30s'));
  t.is(problems.length, 1);
  t.regex(problems[0] ?? '', /^templates\[0\] \(long-jobs\): .* could take 144\d+ workflow steps, over the budget of 50000 .*: set vmCheckInterval to at least 87s, or shorten maxRunDuration$/);
});

test('the suggested interval is enough', (t) => {
  t.deepEqual(problemsOf(template('    maxRunDuration: 120h\n    vmCheckInterval: 87s')), []);
});

test('the default durations stay far inside the budget', (t) => {
  const steps = runnerSteps.worstCase({ idleTimeoutSeconds: 600, maxRunDurationSeconds: 6 * 3600, vmCheckIntervalSeconds: 300 });
  t.log(`idle 10m + max 6h, a check every 5m: at most ${steps} steps`);
  t.true(steps < stepBudget / 10);
});

test('labels that could push a job argument past half the 32 KB limit are refused', (t) => {
  const labels = Array.from({ length: 80 }, (_, i) => `label-${i}-${'x'.repeat(200)}`);
  const problems = problemsOf(template(`    labels: [${labels.join(', ')}]`).replace('    labels: [self-hosted, linux]\n', ''));
  t.regex(problems[0] ?? '', /^templates\[0\] \(long-jobs\): its labels could make a job's workflow argument \d+ bytes, over half of the 32768-byte limit/);
});

test('the largest argument of the shipped templates is a small fraction of the limit', (t) => {
  const bytes = largestArgumentBytes({ name: 'linux-small', labels: ['self-hosted', 'linux', 'x64', 'small'] });
  t.log(`largest argument for the example template: ${bytes} bytes of 32768`);
  t.true(bytes < 1024);
});
