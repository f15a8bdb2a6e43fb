import { promqlName } from './cloud-monitoring.ts';

interface Chart {
  readonly title: string;
  /** One PromQL query per line of the chart, or a Monitoring filter (with its aligner) for Google's own metrics. */
  readonly queries: readonly ({ readonly promql: string; readonly legend?: string } | { readonly filter: string; readonly aligner: string; readonly groupBy: readonly string[]; readonly legend: string })[];
  readonly kind?: 'LINE' | 'STACKED_BAR';
}

const p = (q: number, name: string) => `histogram_quantile(${q}, sum by (template, le) (rate(${promqlName(name, '_bucket')}[10m])))`;
const perTemplateRate = (name: string) => `sum by (template) (increase(${promqlName(name)}[5m]))`;
const meanOf = (name: string, by: string) => `sum by (${by}) (rate(${promqlName(name, '_sum')}[15m])) / sum by (${by}) (rate(${promqlName(name, '_count')}[15m]))`;

/** The dashboard's charts, row by row (three to a row). */
export const dashboardCharts: readonly Chart[] = [
  { title: 'Queue time p50 / p95 per template (queued → runner took the job)', queries: [{ promql: p(0.5, 'queue_time_seconds'), legend: 'p50 ${template}' }, { promql: p(0.95, 'queue_time_seconds'), legend: 'p95 ${template}' }] },
  { title: 'Where the wait goes: p95 of admission wait, VM create, boot to online', queries: [{ promql: p(0.95, 'admission_wait_seconds'), legend: 'admission ${template}' }, { promql: p(0.95, 'vm_create_seconds'), legend: 'create ${template}' }, { promql: p(0.95, 'boot_to_online_seconds'), legend: 'boot ${template}' }] },
  { title: 'Live VMs against maxRunners (reaper count, every 5 min)', queries: [{ promql: meanOf('live_vms', 'template'), legend: 'VMs ${template}' }, { promql: meanOf('max_runners', 'template'), legend: 'cap ${template}' }] },
  { title: 'Estimated cost, USD over the last 24 h', queries: [{ promql: `sum by (template) (increase(${promqlName('vm_cost_usd', '_sum')}[1d]))`, legend: '${template}' }] },
  { title: 'VM-hours per 5 min', queries: [{ promql: `sum by (template, spot) (increase(${promqlName('vm_seconds', '_sum')}[5m])) / 3600`, legend: '${template} spot=${spot}' }], kind: 'STACKED_BAR' },
  { title: 'Jobs queued, started, completed per 5 min', queries: [{ promql: perTemplateRate('jobs_queued'), legend: 'queued ${template}' }, { promql: perTemplateRate('jobs_started'), legend: 'started ${template}' }, { promql: perTemplateRate('jobs_completed'), legend: 'completed ${template}' }] },
  { title: 'Jobs skipped, by reason', queries: [{ promql: `sum by (template, reason) (increase(${promqlName('jobs_skipped')}[5m]))`, legend: '${template} ${reason}' }], kind: 'STACKED_BAR' },
  { title: 'Stockouts and quota refusals by zone; zone fallbacks', queries: [{ promql: `sum by (zone, cause) (increase(${promqlName('zone_refusals')}[5m]))`, legend: '${zone} ${cause}' }, { promql: `sum by (template) (increase(${promqlName('zone_fallbacks')}[5m]))`, legend: 'fallback ${template}' }], kind: 'STACKED_BAR' },
  { title: 'API errors by service and kind', queries: [{ promql: `sum by (service, kind) (increase(${promqlName('api_errors')}[5m]))`, legend: '${service} ${kind}' }], kind: 'STACKED_BAR' },
  { title: 'Rate-limit waits (count and seconds asked)', queries: [{ promql: `sum by (service) (increase(${promqlName('rate_limit_waits')}[5m]))`, legend: 'waits ${service}' }, { promql: `sum by (service) (increase(${promqlName('rate_limit_wait_seconds', '_sum')}[5m]))`, legend: 'seconds ${service}' }] },
  { title: 'Workflow executions failed', queries: [{ filter: 'metric.type="workflows.googleapis.com/finished_execution_count" AND resource.type="workflows.googleapis.com/Workflow" AND metric.label.status="FAILED"', aligner: 'ALIGN_SUM', groupBy: ['resource.label.workflow_id'], legend: 'failed ${resource.labels.workflow_id}' }], kind: 'STACKED_BAR' },
  { title: 'Webhook deliveries not queued; reaper actions', queries: [{ promql: `sum (increase(${promqlName('webhook_failures')}[5m]))`, legend: 'webhook failures' }, { promql: `sum by (action, reason) (increase(${promqlName('reaper_actions')}[5m]))`, legend: 'reaper ${action} ${reason}' }], kind: 'STACKED_BAR' },
];

/** Mosaic grid: 48 columns (the maximum), three charts a row. */
const columns = 48;
const tileWidth = 16;
const tileHeight = 16;

function dataSet(query: Chart['queries'][number], kind: Chart['kind']) {
  const plotType = kind ?? 'LINE';
  if ('promql' in query) return { plotType, targetAxis: 'Y1', legendTemplate: query.legend ?? '', timeSeriesQuery: { prometheusQuery: query.promql } };
  const aggregation = { alignmentPeriod: '300s', perSeriesAligner: query.aligner, crossSeriesReducer: 'REDUCE_SUM', groupByFields: query.groupBy };
  return { plotType, targetAxis: 'Y1', legendTemplate: query.legend, timeSeriesQuery: { timeSeriesFilter: { filter: query.filter, aggregation } } };
}

/** The `dashboard_json` of terraform/monitoring.tf (written to terraform/monitoring-dashboard.json). */
export function cloudDashboard(): Record<string, unknown> {
  return {
    displayName: 'GitHub runners on Compute Engine',
    mosaicLayout: {
      columns,
      tiles: dashboardCharts.map((chart, index) => ({
        xPos: (index % 3) * tileWidth,
        yPos: Math.floor(index / 3) * tileHeight,
        width: tileWidth,
        height: tileHeight,
        widget: { title: chart.title, xyChart: { chartOptions: { mode: 'COLOR' }, dataSets: chart.queries.map((query) => dataSet(query, chart.kind)) } },
      })),
    },
  };
}
