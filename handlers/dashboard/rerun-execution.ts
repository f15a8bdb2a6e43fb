import type { EmbeddedEngine } from '../../workflows/engine/index.ts';

/**
 * The CLI's re-run (`npm run cli -- executions rerun <id>`, handlers/cloud/cloud-workflows-executions.ts):
 * a new execution of runner.yaml with the same argument, only for a FAILED or CANCELLED one. An
 * active one would give one job two executions racing over one VM; a SUCCEEDED one has nothing left
 * to do. Safe because every step is idempotent (names derive from the job).
 */
export function rerunExecution(engine: EmbeddedEngine, workflowId: string, id: string): { executionId: string } | { status: number; error: string } {
  const execution = engine.getExecution(id);
  if (!execution || !execution.name.includes(`/workflows/${workflowId}/`)) return { status: 404, error: `no execution ${id}` };
  if (execution.state !== 'FAILED' && execution.state !== 'CANCELLED') return { status: 409, error: `execution ${id} is ${execution.state}: only FAILED or CANCELLED executions are re-run` };
  return { executionId: engine.createExecution(workflowId, execution.argument).name.split('/').pop()! };
}
