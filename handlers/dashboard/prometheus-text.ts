import { metricDefinitions, prometheusName } from '../metrics/definitions.ts';
import type { MetricStore } from '../metrics/metric-store.ts';
import type { FleetView } from './fleet-view.ts';

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Readonly<Record<string, string>>) => {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabel(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
};

/**
 * The Prometheus text exposition format (version 0.0.4,
 * https://prometheus.io/docs/instrumenting/exposition_formats/): the metric store's counters and
 * histograms, plus gauges read at scrape time from the engine and the VMs.
 */
export function prometheusText(store: MetricStore, view: FleetView): string {
  const lines: string[] = [];
  const series = store.series();
  for (const definition of metricDefinitions) {
    const name = prometheusName(definition);
    lines.push(`# HELP ${name} ${definition.help}`, `# TYPE ${name} ${definition.kind === 'counter' ? 'counter' : 'histogram'}`);
    for (const one of series.filter((candidate) => candidate.definition === definition)) {
      if (definition.kind === 'counter') {
        lines.push(`${name}${labelText(one.labels)} ${one.count}`);
        continue;
      }
      const bounds = [...(definition.buckets ?? []).map(String), '+Inf'];
      bounds.forEach((bound, index) => lines.push(`${name}_bucket${labelText({ ...one.labels, le: bound })} ${one.bucketCounts[index]}`));
      lines.push(`${name}_sum${labelText(one.labels)} ${one.sum}`, `${name}_count${labelText(one.labels)} ${one.count}`);
    }
  }
  lines.push('# HELP ghr_live_vms_now runner VMs of each template now', '# TYPE ghr_live_vms_now gauge');
  for (const template of view.templates) lines.push(`ghr_live_vms_now${labelText({ template: template.name })} ${template.live}`);
  lines.push('# HELP ghr_max_runners_now maxRunners of each template', '# TYPE ghr_max_runners_now gauge');
  for (const template of view.templates) lines.push(`ghr_max_runners_now${labelText({ template: template.name })} ${template.maxRunners}`);
  lines.push('# HELP ghr_executions runner executions the embedded engine holds, by state', '# TYPE ghr_executions gauge');
  for (const [state, count] of Object.entries(view.executions)) lines.push(`ghr_executions${labelText({ state })} ${count}`);
  return `${lines.join('\n')}\n`;
}
