import { createHash } from 'node:crypto';

/**
 * Namespace of our name-based UUIDs (RFC 4122 §4.3, version 5). Fixed forever: changing it would
 * give a retried insert a new id, and Compute would create a second VM.
 */
const namespace = Buffer.from('6f1c2b9e4d3a4f0e9a57c1d2e3f40516', 'hex');

/**
 * The `requestId` of an insert: the same VM in the same zone with the same provisioning model gets
 * the same UUID, so a retried insert (timeout, 503, a step re-run) returns the first operation
 * instead of creating a second VM.
 *
 * Compute remembers a requestId for at least 60 minutes and answers a repeat with the *original*
 * operation, failure included: after a stockout, trying the same zone again needs a new `round`
 * (the capacity-wait round), or it gets the old stockout back without trying.
 */
export function requestIdFor(name: string, zone: string, spot: boolean, round = 0): string {
  const key = round === 0 ? `${name}\n${zone}\n${spot ? 'spot' : 'standard'}` : `${name}\n${zone}\n${spot ? 'spot' : 'standard'}\n${round}`;
  const bytes = createHash('sha1').update(namespace).update(key, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
