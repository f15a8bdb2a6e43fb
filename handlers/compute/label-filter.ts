/**
 * The `filter` of a list call that keeps instances carrying every one of these labels:
 * `labels.managed-by = "x" AND labels.template = "y"`. Label keys and values are already limited
 * to `[a-z0-9_-]`, so quoting cannot be broken; quotes and backslashes are escaped anyway.
 */
export function labelFilter(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([key, value]) => `labels.${key} = "${value.replace(/["\\]/g, (char) => `\\${char}`)}"`)
    .join(' AND ');
}
