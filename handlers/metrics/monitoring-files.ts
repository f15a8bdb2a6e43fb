import { cloudDashboard } from './cloud-dashboard.ts';
import { logMetricSpecs } from './cloud-monitoring.ts';
import { dashboardLayoutSvg } from './dashboard-layout-svg.ts';

/**
 * The generated files, by path from the repository's root: what Terraform reads (the log-based
 * metrics and the dashboard) and the picture of the dashboard's layout. `npx tsx scripts/write-monitoring.ts`
 * writes them.
 */
export function monitoringFiles(): Record<string, string> {
  const dashboard = cloudDashboard();
  return {
    'terraform/monitoring-metrics.json': `${JSON.stringify(logMetricSpecs(), null, 2)}\n`,
    'terraform/monitoring-dashboard.json': `${JSON.stringify(dashboard, null, 2)}\n`,
    'docs/cloud-dashboard.svg': dashboardLayoutSvg(dashboard),
  };
}
