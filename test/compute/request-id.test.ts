import test from 'ava';
import { requestIdFor } from '../../handlers/compute/request-id.ts';

const uuidV5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('the requestId is a version-5 UUID, the same for the same VM, zone and model', (t) => {
  const id = requestIdFor('runner-1', 'us-central1-a', true);
  t.regex(id, uuidV5);
  t.is(requestIdFor('runner-1', 'us-central1-a', true), id);
  t.is(requestIdFor('runner-1', 'us-central1-a', true, 0), id);
});

test('another zone, model, name or round gets another requestId', (t) => {
  const ids = new Set([
    requestIdFor('runner-1', 'us-central1-a', true),
    requestIdFor('runner-1', 'us-central1-b', true),
    requestIdFor('runner-1', 'us-central1-a', false),
    requestIdFor('runner-2', 'us-central1-a', true),
    requestIdFor('runner-1', 'us-central1-a', true, 1),
  ]);
  t.is(ids.size, 5);
  for (const id of ids) t.regex(id, uuidV5);
});

test('the requestId of a VM never changes between releases', (t) => {
  t.is(requestIdFor('runner-1', 'us-central1-a', false), '514b260f-c956-5401-83b1-5b662a6eb5c8');
});
