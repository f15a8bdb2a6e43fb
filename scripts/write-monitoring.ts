import { writeFileSync } from 'node:fs';
import { monitoringFiles } from '../handlers/metrics/monitoring-files.ts';

/** Rewrites the files Terraform and the README take from handlers/metrics (test/metrics/monitoring-files.test.ts checks they are current). */
for (const [path, content] of Object.entries(monitoringFiles())) {
  writeFileSync(new URL(`../${path}`, import.meta.url), content);
  process.stdout.write(`wrote ${path}\n`);
}
