import type { NewRunner } from '../runner-registry.ts';

/** GitHub's wording for a body that breaks the operation's schema. */
const invalid = (detail: string) => `Invalid request.\n\n${detail}`;

/** The generate-jitconfig body as a new runner, or GitHub's 422 message. */
export function validateJitBody(body: unknown): NewRunner | string {
  if (typeof body !== 'object' || body === null) return invalid('For \'links/0/schema\', nil is not an object.');
  const fields = body as Record<string, unknown>;
  for (const required of ['name', 'runner_group_id', 'labels']) {
    if (fields[required] === undefined) return invalid(`"${required}" wasn't supplied.`);
  }
  const { name, runner_group_id: groupId, labels, work_folder: workFolder } = fields;
  if (typeof name !== 'string' || name === '') return invalid(`For 'properties/name', ${JSON.stringify(name)} is not a string.`);
  if (typeof groupId !== 'number' || !Number.isInteger(groupId)) {
    return invalid(`For 'properties/runner_group_id', ${JSON.stringify(groupId)} is not an integer.`);
  }
  if (!Array.isArray(labels) || !labels.every((l): l is string => typeof l === 'string')) {
    return invalid(`For 'properties/labels', ${JSON.stringify(labels)} is not an array of strings.`);
  }
  // The schema says 1 to 100 labels.
  if (labels.length < 1 || labels.length > 100) return invalid(`For 'properties/labels', it must have 1 to 100 items.`);
  if (workFolder !== undefined && typeof workFolder !== 'string') {
    return invalid(`For 'properties/work_folder', ${JSON.stringify(workFolder)} is not a string.`);
  }
  return { name, groupId, labels, ...(workFolder === undefined ? {} : { workFolder }) };
}
