const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses `90s`, `10m`, `6h`, `1d` (or a combination such as `1h30m`) into seconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const match = /^(?:\d+[smhd])+$/.test(text) ? text.match(/\d+[smhd]/g) : null;
  if (!match) return null;
  let seconds = 0;
  for (const part of match) seconds += Number(part.slice(0, -1)) * (unitSeconds[part.slice(-1)] ?? 0);
  return seconds;
}
