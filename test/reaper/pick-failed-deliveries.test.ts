import test from 'ava';
import type { DeliveryInfo } from '../../handlers/github/github.ts';
import { pickFailedDeliveries } from '../../handlers/reaper/pick-failed-deliveries.ts';

let nextId = 1;
function attempt(guid: string, statusCode: number, options: Partial<DeliveryInfo> = {}): DeliveryInfo {
  const id = nextId++;
  return {
    id,
    guid,
    deliveredAt: new Date(Date.UTC(2025, 0, 1, 0, id)).toISOString(),
    redelivery: false,
    statusCode,
    status: statusCode === 0 ? 'timed out' : `HTTP ${statusCode}`,
    event: 'workflow_job',
    action: 'queued',
    ...options,
  };
}

test('picks the events whose every attempt failed and none was a redelivery, oldest first', (t) => {
  const a1 = attempt('a', 503);
  const b1 = attempt('b', 0);
  const a2 = attempt('a', 500);
  const pick = pickFailedDeliveries([a2, b1, a1]);
  t.deepEqual(pick.toRedeliver.map((d) => d.id), [b1.id, a2.id], 'one per GUID (its latest attempt), the older event first');
  t.deepEqual(pick.kept, {});
});

test('an event delivered once (any 2xx) or already redelivered is left alone', (t) => {
  const pick = pickFailedDeliveries([
    attempt('ok', 503), attempt('ok', 202, { redelivery: true }),
    attempt('tried', 503), attempt('tried', 503, { redelivery: true }),
    attempt('fine', 200),
  ]);
  t.deepEqual(pick.toRedeliver, []);
  t.deepEqual(pick.kept, { delivered: 2, 'already redelivered': 1 });
});

test('failed deliveries of other events are not ours to repair', (t) => {
  const pick = pickFailedDeliveries([attempt('p', 500, { event: 'push', action: null }), attempt('i', 0, { event: 'installation', action: 'created' })]);
  t.deepEqual(pick.toRedeliver, []);
  t.deepEqual(pick.kept, { 'not workflow_job': 2 });
});

test('3xx and 4xx answers count as failed, as GitHub shows them', (t) => {
  const pick = pickFailedDeliveries([attempt('r', 302), attempt('u', 401)]);
  t.is(pick.toRedeliver.length, 2);
});
