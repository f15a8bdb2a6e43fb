import { priceTableDate } from '../metrics/prices.ts';
import type { FleetView } from './fleet-view.ts';
import type { MetricSummary } from './metric-summaries.ts';
import { escapeHtml, gaugeSvg, phaseLegend, sparklineSvg, timelineSvg } from './svg.ts';

const style = `body{font:14px system-ui,sans-serif;margin:20px;color:#263238;max-width:1100px}
h1{font-size:20px}h2{font-size:16px;margin-top:24px;border-bottom:1px solid #cfd8dc}
table{border-collapse:collapse}td,th{padding:3px 10px 3px 0;text-align:left;vertical-align:middle}
.timeline text{font-size:11px}.axis{fill:#78909c}.key{display:inline-block;width:12px;height:12px;margin:0 4px 0 10px}
.metrics{display:grid;grid-template-columns:repeat(3,1fr);gap:10px}.card{border:1px solid #cfd8dc;border-radius:4px;padding:6px 8px;font-size:12px}
.card b{font-size:13px}.card .value{font-size:13px;margin:2px 0}.muted{color:#78909c}.cause{font-family:monospace;font-size:12px;max-width:560px}
button{cursor:pointer}`;

const seconds = (value: number | null) => (value === null ? '–' : value >= 100 ? `${value.toFixed(0)} s` : `${value.toFixed(1)} s`);

function valueCell(summary: MetricSummary): string {
  const { definition } = summary;
  if (definition.kind === 'counter') return `${summary.count}`;
  if (definition.unit === '{USD}') return `$${summary.sum.toFixed(6)} total (us-central1 list prices of ${priceTableDate})`;
  if (definition.unit === 's') return `p50 ${seconds(summary.p50)} · p95 ${seconds(summary.p95)} · ${summary.sum.toFixed(1)} s total`;
  return `p50 ${summary.p50 ?? '–'} · p95 ${summary.p95 ?? '–'}`;
}

function section(title: string, body: string): string {
  return `<h2>${title}</h2>${body}`;
}

/** The local dashboard: server-rendered HTML with inline SVG, refreshed every 5 s; no script. */
export function renderPage(view: FleetView, summaries: readonly MetricSummary[]): string {
  const e = view.executions;
  const active = view.active.length === 0
    ? '<p class="muted">none</p>'
    : `<table id="active"><tr><th>execution</th><th>job</th><th>current step</th><th>since</th></tr>${view.active
        .map((run) => `<tr><td>${run.executionId.slice(0, 8)}</td><td>${run.jobId ?? ''}</td><td class="step">${escapeHtml(run.step)}</td><td>${run.since.slice(11, 19)}</td></tr>`)
        .join('')}</table>`;
  const caps = `<table id="caps">${view.templates
    .map((t) => `<tr class="cap" data-template="${escapeHtml(t.name)}"><td>${escapeHtml(t.name)}</td><td>${gaugeSvg(t.live, t.maxRunners)}</td><td class="used">${t.live} / ${t.maxRunners}</td></tr>`)
    .join('')}</table>`;
  const timeline = view.timelines.length === 0 ? '<p class="muted">no jobs yet: try <code>npm run simulate</code></p>' : `<p>${phaseLegend}</p>${timelineSvg(view.timelines)}`;
  const failures = view.failures.length === 0
    ? '<p class="muted">none</p>'
    : `<table id="failures"><tr><th>execution</th><th>job</th><th>cause</th><th></th></tr>${view.failures
        .map((f) => `<tr class="failure" data-execution="${f.executionId}"><td>${f.executionId.slice(0, 8)}</td><td>${f.jobId ?? ''}</td><td class="cause">${escapeHtml(f.cause)}</td><td><form method="post" action="/dashboard/executions/${encodeURIComponent(f.executionId)}/rerun"><button type="submit">re-run</button></form></td></tr>`)
        .join('')}</table>`;
  const metrics = `<div class="metrics">${summaries
    .map((s) => `<div class="card" data-metric="${s.definition.name}"><b>${s.definition.name}</b><div class="value">${valueCell(s)}</div>${sparklineSvg(s.perMinute, 300, 24)}<div class="muted">${escapeHtml(s.definition.help)}</div></div>`)
    .join('')}</div>`;
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>github runners · fleet</title><style>${style}</style></head><body>
<h1>GitHub runners on Compute Engine · fleet</h1>
<p id="summary">executions: <b>${e.active}</b> active · ${e.succeeded} succeeded · <b>${e.failed}</b> failed · ${e.cancelled} cancelled · <a href="/metrics">/metrics</a></p>
${section('VMs per template against maxRunners', caps)}
${section('Live executions', active)}
${section('Jobs: queued → VM created → runner online / job started → job done → VM deleted', timeline)}
${section('Recent failures', failures)}
${section('Metrics (last 30 min, a bar a minute)', metrics)}
</body></html>`;
}
