/**
 * The `filter` of a list call that keeps instances carrying every one of these labels:
 * `labels.managed-by = "x" AND labels.template = "y"`. Label keys and values are already limited
 * to `[a-z0-9_-]`, so quoting cannot be broken; quotes and backslashes are escaped anyway.
 */
export function labelFilter(labels: Readonly<Record<string, string>>): string {
  return fieldFilter(Object.fromEntries(Object.entries(labels).map(([key, value]) => [`labels.${key}`, value])));
}

/** `name = "x" AND status = "y"`: every field equal to its value. */
export function fieldFilter(fields: Readonly<Record<string, string>>): string {
  return Object.entries(fields)
    .map(([field, value]) => `${field} = "${value.replace(/["\\]/g, (char) => `\\${char}`)}"`)
    .join(' AND ');
}
