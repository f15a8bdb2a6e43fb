import { invalidField, type GoogleApiError } from './google-error.ts';
import type { Json } from './sim-types.ts';

/** Compute's bounds on `maxRunDuration`: 30 seconds to 120 days. */
const minRunSeconds = 30;
const maxRunSeconds = 120 * 24 * 3600;
const provisioningModels = new Set(['STANDARD', 'SPOT', 'RESERVATION_BOUND', 'FLEX_START']);
const terminationActions = new Set(['DELETE', 'STOP']);

/** The `scheduling` rules Compute enforces that a runner VM can trip on. */
export function validateScheduling(instance: Json): GoogleApiError | null {
  const scheduling = (instance['scheduling'] ?? {}) as Json;
  const model = scheduling['provisioningModel'];
  const action = scheduling['instanceTerminationAction'];
  const maxRun = scheduling['maxRunDuration'] as Json | undefined;
  const spot = model === 'SPOT' || scheduling['preemptible'] === true;
  if (model !== undefined && !provisioningModels.has(String(model))) {
    return invalidField('resource.scheduling.provisioningModel', model, 'Unknown provisioning model.');
  }
  if (action !== undefined && !terminationActions.has(String(action))) {
    return invalidField('resource.scheduling.instanceTerminationAction', action, 'Must be one of [DELETE, STOP].');
  }
  if (maxRun !== undefined) {
    const seconds = Number(maxRun['seconds'] ?? 0);
    if (!(seconds >= minRunSeconds && seconds <= maxRunSeconds)) {
      return invalidField('resource.scheduling.maxRunDuration.seconds', maxRun['seconds'], `Must be between ${minRunSeconds} and ${maxRunSeconds}.`);
    }
    if (action === undefined) {
      return invalidField('resource.scheduling.instanceTerminationAction', '', 'instanceTerminationAction must be specified when maxRunDuration or terminationTime is set.');
    }
  }
  if (action !== undefined && !spot && maxRun === undefined && scheduling['terminationTime'] === undefined) {
    return invalidField('resource.scheduling.instanceTerminationAction', action, 'instanceTerminationAction can only be set for Spot VMs or together with maxRunDuration or terminationTime.');
  }
  if (spot && scheduling['onHostMaintenance'] === 'MIGRATE') {
    return invalidField('resource.scheduling.onHostMaintenance', 'MIGRATE', 'Spot VMs do not support live migration; use TERMINATE.');
  }
  if (spot && scheduling['automaticRestart'] === true) {
    return invalidField('resource.scheduling.automaticRestart', 'true', 'Spot VMs cannot be restarted automatically.');
  }
  const accelerators = (instance['guestAccelerators'] ?? []) as Json[];
  const onHostMaintenance = scheduling['onHostMaintenance'] ?? (spot ? 'TERMINATE' : 'MIGRATE');
  if (accelerators.length > 0 && onHostMaintenance !== 'TERMINATE') {
    return invalidField('resource.scheduling.onHostMaintenance', onHostMaintenance, 'Instances with guest accelerators do not support live migration.');
  }
  return null;
}
