import type { Value } from '../values.ts';

/** Where a construct sits, for messages: `runner.yaml: step "foo": ... (line 12)`. */
export interface Where {
  step?: string;
  node?: Value;
}

/**
 * Gathers every problem of a workflow source before failing, so one deploy reports them all.
 * Knows the subworkflows and their parameters, which call steps are checked against.
 */
export class LoadContext {
  readonly problems: string[] = [];
  readonly routineParams = new Map<string, { all: string[]; required: string[] }>();

  readonly fileName: string;
  private readonly positionOf: (node: Value) => { line: number; column: number } | undefined;
  constructor(fileName: string, positionOf: (node: Value) => { line: number; column: number } | undefined) {
    this.fileName = fileName;
    this.positionOf = positionOf;
  }

  problem(where: Where, message: string): void {
    const step = where.step === undefined ? '' : ` step "${where.step}":`;
    const line = this.position(where.node)?.line;
    this.problems.push(`${this.fileName}:${step} ${message}${line === undefined ? '' : ` (line ${line})`}`);
  }

  position(node: Value | undefined): { line: number; column: number } | undefined {
    return node === undefined ? undefined : this.positionOf(node);
  }
}
