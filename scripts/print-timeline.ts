interface StepEntryJson {
  step?: string;
  routine?: string;
  state?: string;
  createTime?: string;
  updateTime?: string;
}

/** Prints an execution's steps as the Cloud Console's execution view lists them. */
export async function printTimeline(url: string, write: (line: string) => void): Promise<void> {
  const response = await fetch(url);
  if (!response.ok) {
    write(`  (no step history: ${response.status})`);
    return;
  }
  const { stepEntries = [] } = (await response.json()) as { stepEntries?: StepEntryJson[] };
  const start = Date.parse(stepEntries[0]?.createTime ?? '') || 0;
  for (const entry of stepEntries) {
    const at = ((Date.parse(entry.createTime ?? '') - start) / 1000).toFixed(3).padStart(8);
    const took = ((Date.parse(entry.updateTime ?? '') - Date.parse(entry.createTime ?? '')) / 1000).toFixed(3);
    write(`  +${at}s  ${`${entry.routine ?? 'main'}.${entry.step ?? '?'}`.padEnd(36)} ${(entry.state ?? '').padEnd(18)} ${took}s`);
  }
}
