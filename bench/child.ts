import { scenarios } from './scenarios.ts';
import type { ScenarioResult } from './scenario.ts';

/**
 * Runs one scenario in this process and sends its result to the parent (bench/main.ts), so that
 * every scenario starts from a fresh heap and its peak RSS is its own whole process's.
 */
const name = process.argv[2] ?? '';
const scenario = scenarios[name];
if (!scenario || !process.send) {
  process.stderr.write(`usage: forked by bench/main.ts with one of: ${Object.keys(scenarios).join(', ')}\n`);
  process.exit(2);
}
const started = performance.now();
try {
  const { run } = await scenario.load();
  const outcome = await run();
  const result: ScenarioResult = { scenario: name, ...outcome, seconds: (performance.now() - started) / 1000 };
  process.send(result, () => process.exit(0));
} catch (error) {
  process.stderr.write(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  const result: ScenarioResult = {
    scenario: name,
    rows: [{ metric: `${name} did not finish`, value: error instanceof Error ? error.message : String(error), target: '', pass: false }],
    notes: [],
    seconds: (performance.now() - started) / 1000,
  };
  process.send(result, () => process.exit(1));
}
