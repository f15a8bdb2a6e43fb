import { readFileSync } from 'node:fs';
import test from 'ava';
import { WorkflowLoadError } from '../../workflows/engine/errors.ts';
import { constructsOf } from '../../workflows/engine/loader/constructs.ts';
import { loadWorkflow } from '../../workflows/engine/loader/load-workflow.ts';
import { callRows, expressionRows, stepRows, type ConformanceRow } from './conformance-table.ts';
import { runWorkflow } from './helpers.ts';

// The conformance table: for every construct runner.yaml and reaper.yaml use, what Google's
// documentation says (the row names the page) and the engine doing it.
const rows: readonly ConformanceRow[] = [...expressionRows, ...stepRows, ...callRows];

async function outcomeOf(row: ConformanceRow): Promise<{ result?: unknown; errorTags?: readonly string[] }> {
  try {
    const { result, error } = await runWorkflow(row.source, { ...(row.http ? { http: row.http() } : {}), argument: row.argument });
    return error === undefined ? { result } : { errorTags: (error as { tags?: string[] }).tags ?? [] };
  } catch (error) {
    if (error instanceof WorkflowLoadError) return { errorTags: ['load error'] };
    throw error;
  }
}

for (const row of rows) {
  test(`${row.construct}: ${row.documented}`, async (t) => {
    const outcome = await outcomeOf(row);
    if (row.errorTags) t.deepEqual(outcome.errorTags, row.errorTags, row.doc);
    else t.deepEqual(outcome, { result: row.result }, row.doc);
  });
}

for (const file of ['runner.yaml', 'reaper.yaml']) {
  test(`every construct ${file} uses has a row in the conformance table`, (t) => {
    const program = loadWorkflow(readFileSync(new URL(`../../workflows/${file}`, import.meta.url), 'utf8'), file);
    const { steps, calls, functions, operators } = constructsOf(program);
    const covered = new Set(rows.map((row) => row.construct));
    const missing = [...steps, ...calls, ...functions, ...operators].filter((construct) => !covered.has(construct));
    t.deepEqual(missing, []);
  });
}

test('every row cites a page of the Cloud Workflows documentation', (t) => {
  for (const row of rows) t.regex(row.doc, /^https:\/\/cloud\.google\.com\/workflows\/docs\//, row.construct);
});
