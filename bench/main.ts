import { fork } from 'node:child_process';
import { cpus, freemem, totalmem, type as osType, release } from 'node:os';
import { scenarios } from './scenarios.ts';
import type { ScenarioResult } from './scenario.ts';

/**
 * `npm run bench`: runs each scenario in its own Node process (fresh heap, its own peak RSS, and
 * `--expose-gc` for the memory measurements), in order, then prints one table against the targets.
 * Nothing is written to disk. `npm run bench -- burst latency` runs only the named scenarios.
 */
const chosen = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const names = chosen.length > 0 ? chosen : Object.keys(scenarios);
for (const name of names) {
  if (!scenarios[name]) {
    process.stderr.write(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}\n`);
    process.exit(2);
  }
}

const cpu = cpus();
const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;
console.log(`Node ${process.version} (V8 ${process.versions.v8}) on ${osType()} ${release()} ${process.arch}`);
console.log(`${cpu.length} cores: ${cpu[0]?.model.trim() ?? 'unknown CPU'}; memory ${gb(totalmem())}, ${gb(freemem())} free`);
console.log('');

function runChild(name: string): Promise<ScenarioResult> {
  return new Promise((resolve) => {
    const execArgv = process.execArgv.includes('--expose-gc') ? process.execArgv : [...process.execArgv, '--expose-gc'];
    const child = fork(new URL('./child.ts', import.meta.url), [name], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: ScenarioResult | undefined;
    child.on('message', (message) => void (result = message as ScenarioResult));
    child.on('exit', (code, signal) => {
      resolve(
        result ?? {
          scenario: name,
          rows: [{ metric: `${name} crashed`, value: `exit ${code ?? signal}`, target: '', pass: false }],
          notes: [],
          seconds: 0,
        },
      );
    });
  });
}

const results: ScenarioResult[] = [];
const started = performance.now();
for (const name of names) {
  process.stderr.write(`${scenarios[name]!.title}\n`);
  const result = await runChild(name);
  process.stderr.write(`  (${result.seconds.toFixed(1)} s)\n`);
  results.push(result);
}

const header = ['metric', 'value', 'target', ''];
const lines = results.flatMap((result) => result.rows.map((row) => [row.metric, row.value, row.target, row.pass === null ? '' : row.pass ? 'PASS' : 'FAIL']));
const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
console.log(format(header));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
for (const line of lines) console.log(format(line));
console.log('');
for (const result of results) for (const note of result.notes) console.log(`- ${note}`);
const failed = lines.filter((line) => line[3] === 'FAIL').length;
console.log('');
console.log(`${failed === 0 ? 'all targets met' : `${failed} target(s) missed`}; bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = failed === 0 ? 0 : 1;
