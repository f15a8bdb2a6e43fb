import type { Classification } from '../webhook/classify-workflow-job.ts';
import { metricFields } from './emit-metric.ts';

const none = {};

/**
 * The `job_queued` metric fields for the webhook's own decision line, when the delivery is a queued
 * job a template serves: no extra line and no extra work on the hot path for any other delivery.
 */
export function queuedJobMetric(classification: Classification): object {
  if (classification.decision !== 'enqueue' || classification.task.event.action !== 'queued') return none;
  return metricFields('job_queued', { template: classification.task.event.templateName ?? '' });
}
