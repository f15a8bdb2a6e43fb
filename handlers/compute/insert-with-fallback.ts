import { RunnerError } from '../errors.ts';
import type { Compute, InsertOutcome, InstanceRequest } from './compute.ts';

export interface Placement {
  readonly zone: string;
  readonly spot: boolean;
  readonly outcome: InsertOutcome;
}

export interface FallbackOptions {
  /** Provisioning models in the order tried: true = spot. */
  readonly spotOrder: readonly boolean[];
  readonly requestId: (zone: string, spot: boolean) => string;
  /** Told of each zone that refused for capacity (stockout or quota) before the next is tried. */
  readonly onRefused?: (zone: string, spot: boolean, error: RunnerError) => void;
}

/**
 * Inserts the VM in the first zone with capacity, each provisioning model in turn across the
 * template's zones. Only `capacity` moves on to the next zone; any other error is thrown at once.
 * `refusals` (one line per zone and model) when every one refused.
 */
export async function insertWithFallback(compute: Pick<Compute, 'insertInstance'>, request: Omit<InstanceRequest, 'zone' | 'spot' | 'requestId'>, options: FallbackOptions): Promise<{ placed: Placement } | { refusals: string[] }> {
  const refusals: string[] = [];
  for (const spot of options.spotOrder) {
    for (const zone of request.template.zones) {
      try {
        const outcome = await compute.insertInstance({ ...request, zone, spot, requestId: options.requestId(zone, spot) });
        return { placed: { zone, spot, outcome } };
      } catch (error) {
        if (!(error instanceof RunnerError) || error.kind !== 'capacity') throw error;
        refusals.push(`${zone}${spot ? ' (spot)' : ''}: ${error.message}`);
        options.onRefused?.(zone, spot, error);
      }
    }
  }
  return { refusals };
}
