import type { RunnerTemplate } from '../config/types.ts';

/**
 * The first template (in file order) whose labels include every label of the job, compared
 * case-insensitively, as GitHub does when it hands a job to a runner.
 */
export function matchTemplate(jobLabels: readonly string[], templates: readonly RunnerTemplate[]): RunnerTemplate | null {
  const wanted = jobLabels.map((label) => label.toLowerCase());
  if (wanted.length === 0) return null;
  return templates.find((template) => wanted.every((label) => template.labels.includes(label))) ?? null;
}
