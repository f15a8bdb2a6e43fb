import { timelinePoints, type JobTimeline, type TimelinePoint } from './job-timeline.ts';

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The phase that ends at each point, and its colour. */
const phases: readonly { readonly to: TimelinePoint; readonly name: string; readonly colour: string }[] = [
  { to: 'admitted', name: 'admission wait', colour: '#b0bec5' },
  { to: 'vmCreated', name: 'VM create', colour: '#ffb74d' },
  { to: 'jobStarted', name: 'boot to online', colour: '#fff176' },
  { to: 'jobDone', name: 'job', colour: '#81c784' },
  { to: 'vmDeleted', name: 'VM delete', colour: '#e57373' },
];
const ended = { name: 'failed / cancelled', colour: '#b71c1c' };

export const phaseLegend = [...phases, ended].map((phase) => `<span class="key" style="background:${phase.colour}"></span>${phase.name}`).join(' ');

/**
 * One bar per job on a shared time axis: each phase from the point before it to its own point
 * (to the execution's end, or now, while it is still under way).
 */
export function timelineSvg(timelines: readonly JobTimeline[], width = 1000): string {
  const starts = timelines.map((timeline) => Math.min(...Object.values(timeline.points)));
  const from = Math.min(...starts);
  const to = Math.max(...timelines.map((timeline) => timeline.end), from + 1000);
  const label = 190;
  const x = (at: number) => label + ((at - from) / (to - from)) * (width - label - 10);
  const rows = timelines.map((timeline, row) => {
    const y = 20 + row * 22;
    const bars: string[] = [];
    let previous = timeline.points.queued ?? timeline.points.admitted!;
    for (const phase of phases) {
      const at = timeline.points[phase.to];
      const reached = at !== undefined;
      const later = timelinePoints.slice(timelinePoints.indexOf(phase.to) + 1).some((point) => timeline.points[point] !== undefined);
      if (!reached && (later || timeline.state !== 'ACTIVE')) continue;
      const end = at ?? timeline.end;
      bars.push(`<rect class="phase" data-phase="${phase.name}" x="${x(previous).toFixed(1)}" y="${y}" width="${Math.max(1, x(end) - x(previous)).toFixed(1)}" height="16" fill="${phase.colour}"><title>${phase.name}: ${((end - previous) / 1000).toFixed(1)} s</title></rect>`);
      previous = end;
      if (!reached) break;
    }
    if (timeline.state === 'FAILED' || timeline.state === 'CANCELLED') {
      const what = timeline.state.toLowerCase();
      bars.push(`<rect class="phase" data-phase="${what}" x="${x(previous).toFixed(1)}" y="${y}" width="${Math.max(3, x(timeline.end) - x(previous)).toFixed(1)}" height="16" fill="${ended.colour}"><title>${what} after ${((timeline.end - previous) / 1000).toFixed(1)} s</title></rect>`);
    }
    const name = `job ${timeline.jobId ?? '?'} · ${timeline.state.toLowerCase()}`;
    return `<g class="job" data-execution="${timeline.executionId}" data-state="${timeline.state}"><text x="0" y="${y + 12}">${escapeHtml(name)}</text>${bars.join('')}</g>`;
  });
  const height = 30 + timelines.length * 22;
  const axis = `<text x="${label}" y="10" class="axis">0 s</text><text x="${width - 10}" y="10" text-anchor="end" class="axis">${((to - from) / 1000).toFixed(0)} s</text>`;
  return `<svg class="timeline" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${axis}${rows.join('')}</svg>`;
}

/** A horizontal gauge: used of cap, red at the cap. */
export function gaugeSvg(used: number, cap: number, width = 220): string {
  const share = cap > 0 ? Math.min(1, used / cap) : 0;
  const colour = share >= 1 ? '#e53935' : share >= 0.8 ? '#fb8c00' : '#43a047';
  return `<svg class="gauge" width="${width}" height="14"><rect width="${width}" height="14" fill="#eceff1"/><rect width="${(share * width).toFixed(1)}" height="14" fill="${colour}"/></svg>`;
}

/** Per-bucket values as a small bar chart. */
export function sparklineSvg(values: readonly number[], width = 180, height = 28): string {
  // A sliver of axis, so an empty chart still shows where its bars would stand.
  const max = Math.max(1, ...values);
  const step = width / Math.max(1, values.length);
  const bars = values.map((value, index) => `<rect x="${(index * step).toFixed(1)}" y="${(height - (value / max) * height).toFixed(1)}" width="${Math.max(1, step - 1).toFixed(1)}" height="${((value / max) * height).toFixed(1)}" fill="#5c6bc0"/>`);
  return `<svg class="spark" width="${width}" height="${height}"><line x1="0" y1="${height - 0.5}" x2="${width}" y2="${height - 0.5}" stroke="#cfd8dc"/>${bars.join('')}</svg>`;
}
