import { createLogger } from '../handlers/log/logger.ts';
import { executionsTarget } from './executions-target.ts';
import { handsOnUsage, runHandsOn } from './hands-on/run-hands-on.ts';
import { handsOnTarget } from './hands-on/target.ts';
import { printTimeline } from './print-timeline.ts';

const usage = `usage: npm run cli -- executions list [STATE] | show <id> | rerun <id>
  local (default): the embedded engine of \`npm start\` at ENGINE_URL (default http://127.0.0.1:8080)
  WORKFLOW_ENGINE=cloud: Cloud Workflows (GOOGLE_CLOUD_PROJECT, WORKFLOW_LOCATION, WORKFLOW_NAME; ADC)
${handsOnUsage}`;

const write = (line: string) => process.stdout.write(`${line}\n`);

async function run(args: readonly string[]): Promise<number> {
  const [group, command, id] = args;
  if (group === 'vms' || group === 'runners') {
    const target = handsOnTarget(process.env, createLogger({ level: 'warn' }));
    try {
      await runHandsOn(args, target, write);
      return 0;
    } finally {
      await target.close();
    }
  }
  if (group !== 'executions' || !command) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const { executions, stepEntriesUrl } = executionsTarget(process.env, createLogger({ level: 'warn' }));
  try {
    if (command === 'list') {
      const page = await executions.listExecutions(id ? { state: id as never } : {});
      for (const execution of page.executions) write(`${execution.id}  ${execution.state.padEnd(10)} ${execution.startTime ?? ''}  ${execution.endTime ?? ''}`);
      return 0;
    }
    if (!id) throw new Error(`${command} needs an execution id`);
    if (command === 'show') {
      const execution = await executions.getExecution(id);
      write(JSON.stringify({ ...execution, argument: parse(execution.argument), result: parse(execution.result) }, null, 2));
      if (stepEntriesUrl) await printTimeline(stepEntriesUrl(execution.id), write);
      return 0;
    }
    if (command === 'rerun') {
      write(`started ${await executions.rerunExecution(id)} with the argument of ${id}`);
      return 0;
    }
    throw new Error(`unknown command ${command}\n${usage}`);
  } finally {
    await executions.close();
  }
}

function parse(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
