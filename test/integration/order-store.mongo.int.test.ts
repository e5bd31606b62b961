/**
 * What only the MongoDB order store promises, beyond the shared contract (stores.mongo.int.test.ts runs that):
 * every per-order operation is a point operation by `_id` (FerretDB pushes down nothing else and scans), and the
 * idempotency-key pointers recover from a submit that died between writing its pointer and its order.
 * Skipped (reported) without MONGO_URL; works in its own random database and drops it.
 */
import { MongoClient, type CommandStartedEvent, type Db, type Document } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMongoOrderStore, type MongoOrderStore } from '../../adapters/storage/mongo/order-store.ts';
import { sampleOrderRecord } from '../contract/order-store.contract.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-data.ts';

const mongoUrl = process.env.MONGO_URL;

describe.skipIf(!mongoUrl)('MongoDB order store: point operations and idempotency-key pointers (MONGO_URL)', () => {
  let testDb: TestDatabase;
  let client: MongoClient;
  let db: Db;
  let store: MongoOrderStore;
  const commands: CommandStartedEvent[] = [];

  beforeAll(async () => {
    testDb = await openTestDatabase(mongoUrl!, 'order_store', { monitorCommands: true });
    ({ client, db } = testDb);
    client.on('commandStarted', (event) => commands.push(event));
    store = createMongoOrderStore({ db });
    await store.ensureIndexes();
  });

  afterAll(async () => {
    await testDb?.close();
  });

  beforeEach(async () => {
    await store.clear();
    commands.length = 0;
  });

  /** The filters sent for reads and writes of our two collections, in order. */
  function filtersSent(): { command: string; collection: string; filter: Document }[] {
    return commands.flatMap((e) => {
      const c = e.command;
      if (e.commandName === 'find') return [{ command: 'find', collection: c['find'] as string, filter: c['filter'] as Document }];
      if (e.commandName === 'update') return (c['updates'] as { q: Document }[]).map((u) => ({ command: 'update', collection: c['update'] as string, filter: u.q }));
      if (e.commandName === 'delete') return (c['deletes'] as { q: Document }[]).map((d) => ({ command: 'delete', collection: c['delete'] as string, filter: d.q }));
      return [];
    });
  }
  const isIdOnly = (filter: Document) => Object.keys(filter).length === 1 && typeof filter['_id'] === 'string';

  it('places, reads, looks up by key and saves an order with `{_id}` filters only', async () => {
    const order = sampleOrderRecord({ id: 'o1', idempotencyKey: 'k1', workflow: 'placing' });
    expect(await store.getByIdempotencyKey('tenant-a', 'k1')).toBeNull();
    expect(await store.insert(order)).toEqual({ inserted: true });
    expect(await store.getByIdempotencyKey('tenant-a', 'k1')).toEqual(order);
    for (let i = 0; i < 10; i += 1) await store.save({ ...order, updatedAt: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z` });
    expect((await store.get('tenant-a', 'o1'))?.updatedAt).toBe('2026-01-01T00:00:09.000Z');
    const sent = filtersSent();
    expect(sent.length).toBeGreaterThanOrEqual(13);
    for (const s of sent) expect(isIdOnly(s.filter), JSON.stringify(s)).toBe(true);
    expect(commands.filter((e) => e.commandName === 'insert')).toHaveLength(2); // the key's pointer, then the order
    // The stored document is keyed by tenant and id.
    expect(await db.collection('orders').findOne({ _id: 'tenant-a\u0000o1' as never }, { projection: { tenant: 1, id: 1 } })).toEqual({ _id: 'tenant-a\u0000o1', tenant: 'tenant-a', id: 'o1' });
  });

  it('a submit that died after writing its key pointer but before its order: the key still reads as free, and the next submit takes it', async () => {
    // What the dead submit left: a pointer to an order that was never inserted.
    await db.collection('orders_idempotency_keys').insertOne({ _id: 'tenant-a\u0000k2' as never, orderId: 'never-stored' });
    expect(await store.getByIdempotencyKey('tenant-a', 'k2')).toBeNull();
    const order = sampleOrderRecord({ id: 'o2', idempotencyKey: 'k2' });
    expect(await store.insert(order)).toEqual({ inserted: true });
    expect(await db.collection('orders_idempotency_keys').findOne({ _id: 'tenant-a\u0000k2' as never })).toEqual({ _id: 'tenant-a\u0000k2', orderId: 'o2' });
    commands.length = 0;
    expect(await store.getByIdempotencyKey('tenant-a', 'k2')).toEqual(order);
    for (const s of filtersSent()) expect(isIdOnly(s.filter), JSON.stringify(s)).toBe(true); // repaired: no scan
    expect(await store.insert(sampleOrderRecord({ id: 'o3', idempotencyKey: 'k2' }))).toEqual({ inserted: false, existing: order });
  });

  it('a pointer naming an order of another key (a reused id was refused) is ignored and repaired when the key is used', async () => {
    await store.insert(sampleOrderRecord({ id: 'o4', idempotencyKey: 'k4' }));
    await expect(store.insert(sampleOrderRecord({ id: 'o4', idempotencyKey: 'k5' }))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await store.getByIdempotencyKey('tenant-a', 'k5')).toBeNull();
    const fresh = sampleOrderRecord({ id: 'o5', idempotencyKey: 'k5' });
    expect(await store.insert(fresh)).toEqual({ inserted: true });
    expect(await store.getByIdempotencyKey('tenant-a', 'k5')).toEqual(fresh);
    expect((await store.getByIdempotencyKey('tenant-a', 'k4'))?.id).toBe('o4');
  });

  it('refuses a tenant containing NUL, which would make `<tenant>\\0<id>` ambiguous', async () => {
    await expect(store.insert(sampleOrderRecord({ tenant: 'a\u0000b' }))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await store.get('a\u0000b', 'ord-1')).toBeNull();
  });

  it('stores the version it is given; a document written before the counter reads as the epoch ms of its updatedAt', async () => {
    await store.insert(sampleOrderRecord({ id: 'o6', idempotencyKey: 'k6', version: 1 }));
    await store.save({ ...(await store.get('tenant-a', 'o6'))!, version: 2 });
    expect((await store.get('tenant-a', 'o6'))!.version).toBe(2);
    // An order stored before the counter existed (the field is absent), read through every read path.
    const updatedAt = '2026-01-01T00:00:00.000Z';
    await store.insert(sampleOrderRecord({ id: 'o7', idempotencyKey: 'k7', updatedAt, workflow: 'tracking' }));
    await db.collection('orders').updateOne({ _id: 'tenant-a\u0000o7' as never }, { $unset: { version: '' } });
    const legacy = Date.parse(updatedAt);
    expect((await store.get('tenant-a', 'o7'))!.version).toBe(legacy);
    expect((await store.getByIdempotencyKey('tenant-a', 'k7'))!.version).toBe(legacy);
    expect((await store.list({ tenant: 'tenant-a' }, 10, null)).items.find((o) => o.id === 'o7')!.version).toBe(legacy);
    expect((await store.listByWorkflow('tracking', 10)).items.find((o) => o.id === 'o7')!.version).toBe(legacy);
    // Its next save continues from there, so the version clients held before the counter still orders below it.
    await store.save({ ...(await store.get('tenant-a', 'o7'))!, version: legacy + 1 });
    expect((await store.get('tenant-a', 'o7'))!.version).toBe(legacy + 1);
  });
});
