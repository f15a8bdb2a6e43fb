import { Firestore } from '@google-cloud/firestore';
import test from 'ava';
import { createFirestore } from '../../handlers/state/create-firestore.ts';
import { startFirestoreSimulator, type FirestoreSimulator } from '../../simulators/firestore/start-firestore-simulator.ts';

const project = 'sim-project';
const database = 'sim-db';
const base = (simulator: FirestoreSimulator) => `${simulator.url}/v1/projects/${project}/databases/${database}/documents`;
const post = (url: string, body: unknown, headers: Record<string, string> = { authorization: 'Bearer owner' }) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function withSimulator(t: { teardown(fn: () => Promise<void>): void }, idleExpiryMs?: number) {
  const simulator = await startFirestoreSimulator({ project, database, ...(idleExpiryMs === undefined ? {} : { idleExpiryMs }) });
  const clients: Firestore[] = [];
  t.teardown(async () => {
    await Promise.all(clients.map((client) => client.terminate()));
    await simulator.close();
  });
  const client = () => {
    const firestore = createFirestore({ project, database, apiEndpoint: simulator.url });
    clients.push(firestore);
    return firestore;
  };
  return { simulator, client };
}

test('a body with a field the protos do not have is refused as Google refuses it (400 INVALID_ARGUMENT)', async (t) => {
  const { simulator } = await withSimulator(t);
  const response = await post(`${base(simulator)}:commit`, { writes: [], transactionId: 'x' });
  t.is(response.status, 400);
  t.like(await response.json(), { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received. Unknown name "transactionId" at \'CommitRequest\': Cannot find field.' } });
  const twoOperations = await post(`${base(simulator)}:commit`, { writes: [{ delete: `projects/${project}/databases/${database}/documents/c/d`, update: { name: 'x' } }] });
  t.is(twoOperations.status, 400);
});

test('a request without credentials is 401, and a database that does not exist is 404', async (t) => {
  const { simulator } = await withSimulator(t);
  t.is((await post(`${base(simulator)}:beginTransaction`, {}, {})).status, 401);
  const other = await post(`${simulator.url}/v1/projects/${project}/databases/(default)/documents:beginTransaction`, {});
  t.is(other.status, 404);
  t.regex(((await other.json()) as { error: { message: string } }).error.message, /database \(default\) does not exist/);
});

test('the client library against the wrong database name fails with NOT_FOUND, as a misconfigured FIRESTORE_DATABASE would', async (t) => {
  const { simulator } = await withSimulator(t);
  const wrong = createFirestore({ project, database: 'other-db', apiEndpoint: simulator.url });
  t.teardown(() => wrong.terminate());
  const error = await t.throwsAsync(wrong.doc('c/d').get());
  t.is((error as { code?: number }).code, 5);
});

// Pessimistic mode: a transaction's lock on a document it read blocks writes by younger
// transactions until it ends; an older one that wants to write wounds (aborts) the younger.
// https://cloud.google.com/firestore/docs/transaction-data-contention
test('the older of two transactions that read a document commits; the younger is aborted and the client runs it again on the new value', async (t) => {
  const { simulator, client } = await withSimulator(t);
  const [a, b] = [client(), client()];
  await a.doc('c/counter').set({ n: 0 });
  let attemptsOfYounger = 0;
  let releaseOlder!: () => void;
  const olderRead = new Promise<void>((resolve) => (releaseOlder = resolve));
  const older = a.runTransaction(async (tx) => {
    const n = (await tx.get(a.doc('c/counter'))).get('n') as number;
    releaseOlder();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the younger reads meanwhile
    tx.set(a.doc('c/counter'), { n: n + 1 });
  });
  await olderRead;
  const younger = b.runTransaction(async (tx) => {
    attemptsOfYounger += 1;
    const n = (await tx.get(b.doc('c/counter'))).get('n') as number;
    tx.set(b.doc('c/counter'), { n: n + 10 });
  });
  await Promise.all([older, younger]);
  t.is((await a.doc('c/counter').get()).get('n'), 11);
  t.true(attemptsOfYounger >= 2, `younger ran ${attemptsOfYounger} times`);
  t.true(simulator.counts().contended >= 1);
});

test('a transaction left open by a client that died releases its locks once idle past the expiry, and is ABORTED after', async (t) => {
  const { simulator, client } = await withSimulator(t, 300);
  const firestore = client();
  await firestore.doc('c/d').set({ v: 1 });
  const begun = (await (await post(`${base(simulator)}:beginTransaction`, { options: { readWrite: {} } })).json()) as { transaction: string };
  const name = `projects/${project}/databases/${database}/documents/c/d`;
  await post(`${base(simulator)}:batchGet`, { documents: [name], transaction: begun.transaction });
  const started = Date.now();
  await firestore.doc('c/d').set({ v: 2 }); // waits for the abandoned transaction's lock
  t.true(Date.now() - started >= 250, `the write waited ${Date.now() - started} ms`);
  const late = await post(`${base(simulator)}:commit`, { transaction: begun.transaction, writes: [] });
  t.is(late.status, 409);
  t.like(await late.json(), { error: { status: 'ABORTED' } });
});

test('create() of a document that exists is ALREADY_EXISTS, and a precondition failure leaves every write of the commit undone', async (t) => {
  const { client } = await withSimulator(t);
  const firestore = client();
  await firestore.doc('c/a').create({ v: 1 });
  t.is(((await t.throwsAsync(firestore.doc('c/a').create({ v: 2 }))) as { code?: number }).code, 6);
  const batch = firestore.batch().set(firestore.doc('c/b'), { v: 1 }).update(firestore.doc('c/missing'), { v: 1 });
  t.is(((await t.throwsAsync(batch.commit())) as { code?: number }).code, 5);
  t.false((await firestore.doc('c/b').get()).exists);
});
