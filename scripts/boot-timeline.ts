/** The timestamps Compute Engine keeps on an instance (RFC 3339). */
export interface InstanceTimes {
  readonly creationTimestamp: string;
  readonly lastStartTimestamp?: string;
}

/** Seconds each stage of one VM's boot took; a stage the VM never reached is absent. */
export interface BootTimeline {
  /** instances.insert accepted → the VM RUNNING (Compute Engine finds a host, attaches the disk). */
  readonly provisioning?: number;
  /** RUNNING → startup.sh's first line (firmware, kernel, systemd, the guest agent's script runner). */
  readonly guestBoot?: number;
  /** startup.sh's first line → the runner started (metadata, download and dependencies if any). */
  readonly runnerInstall?: number;
  /** The runner started → "Listening for Jobs": registered with GitHub, ready for a job. */
  readonly runnerConnect?: number;
  /** instances.insert accepted → the last stage reached. */
  readonly total?: number;
}

export const stages = ['provisioning', 'guestBoot', 'runnerInstall', 'runnerConnect', 'total'] as const;

/** startup.sh's stage lines: `2026-12-04T10:00:01.234Z gh-runner: stage: runner-start ...`. */
const stageLine = /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) gh-runner: stage: ([a-z-]+)/g;
/** The runner's own line (Runner.Listener, `{DateTime.UtcNow:u}: Listening for Jobs`): whole seconds. */
const onlineLine = /(\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ): Listening for Jobs/;

function seconds(from: number | undefined, to: number | undefined): number | undefined {
  return from === undefined || to === undefined || Number.isNaN(from) || Number.isNaN(to) ? undefined : (to - from) / 1000;
}

/** One VM's timeline from its serial console output and its instance timestamps. */
export function parseBootTimeline(serial: string, instance: InstanceTimes): BootTimeline {
  const firstOf = new Map<string, number>();
  for (const match of serial.matchAll(stageLine)) {
    if (!firstOf.has(match[2]!)) firstOf.set(match[2]!, Date.parse(match[1]!));
  }
  const online = onlineLine.exec(serial)?.[1];
  const created = Date.parse(instance.creationTimestamp);
  const running = instance.lastStartTimestamp === undefined ? undefined : Date.parse(instance.lastStartTimestamp);
  const scriptStart = firstOf.get('script-start');
  const runnerStart = firstOf.get('runner-start');
  const onlineAt = online === undefined ? undefined : Date.parse(online.replace(' ', 'T'));
  const last = [onlineAt, runnerStart, scriptStart, running].find((time) => time !== undefined);
  const timeline: Record<string, number | undefined> = {
    provisioning: seconds(created, running),
    guestBoot: seconds(running, scriptStart),
    runnerInstall: seconds(scriptStart, runnerStart),
    runnerConnect: seconds(runnerStart, onlineAt),
    total: seconds(created, last),
  };
  return Object.fromEntries(Object.entries(timeline).filter(([, value]) => value !== undefined)) as BootTimeline;
}

/** The value below which `fraction` of the sorted values fall (nearest rank). */
export function percentile(values: readonly number[], fraction: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

export interface StageSummary {
  readonly stage: (typeof stages)[number];
  readonly count: number;
  readonly p50?: number;
  readonly p95?: number;
  readonly max?: number;
}

/** p50, p95 and max of each stage over many VMs. */
export function summarize(timelines: readonly BootTimeline[]): StageSummary[] {
  return stages.map((stage) => {
    const values = timelines.map((timeline) => timeline[stage]).filter((value): value is number => value !== undefined);
    const p50 = percentile(values, 0.5);
    const p95 = percentile(values, 0.95);
    const max = percentile(values, 1);
    return { stage, count: values.length, ...(p50 === undefined ? {} : { p50 }), ...(p95 === undefined ? {} : { p95 }), ...(max === undefined ? {} : { max }) };
  });
}
