/** What a scenario reports: rows of the final table, plus free-form notes printed under it. */
export interface ResultRow {
  readonly metric: string;
  readonly value: string;
  /** Empty when the row is informative only. */
  readonly target: string;
  /** null: informative, no target. */
  readonly pass: boolean | null;
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly rows: readonly ResultRow[];
  readonly notes: readonly string[];
  readonly seconds: number;
}

export type Scenario = () => Promise<Omit<ScenarioResult, 'scenario' | 'seconds'>>;

/** Progress lines go to stderr so that the table on stdout stays clean. */
export function progress(scenario: string, message: string): void {
  process.stderr.write(`  [${scenario}] ${message}\n`);
}
