import type { LoadContext } from './load-context.ts';
import type { Step, StepList } from './program.ts';

/**
 * `next` may name a step of its own list or of an enclosing one in the same routine, or be `end`;
 * `break` and `continue` only inside a for loop. A loop body is a wall: no jump leaves it except
 * those three, so a loop always cleans up the variables it created.
 */
export function checkJumps(list: StepList, ctx: LoadContext, visible: ReadonlyArray<ReadonlyMap<string, number>> = [], inLoop = false): void {
  const scope = [...visible, list.index];
  for (const step of list.steps) {
    checkTarget(step.next, step, scope, inLoop, ctx);
    checkNested(step, scope, inLoop, ctx);
  }
}

function checkNested(step: Step, scope: ReadonlyArray<ReadonlyMap<string, number>>, inLoop: boolean, ctx: LoadContext): void {
  switch (step.kind) {
    case 'for':
      checkJumps(step.body, ctx, [], true);
      break;
    case 'steps':
      checkJumps(step.body, ctx, scope, inLoop);
      break;
    case 'try':
      checkJumps(step.body, ctx, scope, inLoop);
      if (step.except) checkJumps(step.except.body, ctx, scope, inLoop);
      break;
    case 'switch':
      for (const branch of step.cases) {
        checkTarget(branch.next, step, scope, inLoop, ctx);
        if (branch.steps) checkJumps(branch.steps, ctx, scope, inLoop);
      }
      break;
    default:
      break;
  }
}

function checkTarget(
  target: string | undefined,
  step: Step,
  scope: ReadonlyArray<ReadonlyMap<string, number>>,
  inLoop: boolean,
  ctx: LoadContext,
): void {
  if (target === undefined || target === 'end') return;
  if (target === 'break' || target === 'continue') {
    if (!inLoop) ctx.problem({ step: step.name }, `"next: ${target}" is only allowed inside a for loop (line ${step.line})`);
    return;
  }
  if (!scope.some((index) => index.has(target))) {
    const why = inLoop ? ' (a jump cannot leave a for loop; use break or continue)' : '';
    ctx.problem({ step: step.name }, `"next: ${target}" names no step reachable from here${why} (line ${step.line})`);
  }
}
