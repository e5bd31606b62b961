/**
 * What only the MongoDB stock store promises (the shared contract runs in stores.mongo.int.test.ts): every hot-path
 * operation is an exact `{_id}` point operation (the only filter FerretDB 1.24 answers without a collection scan),
 * readers roll a crashed winner's claim forward and survive a head that went back, and superseded claims are
 * deleted. Skipped, never silently passed, without MONGO_URL. Own random database, dropped afterwards.
 */
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimId } from '../../adapters/storage/mongo/stock-rows.ts';
import { createMongoStockStore } from '../../adapters/storage/mongo/stock-store.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { StockReport } from '../../platform/ports/stock-store.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-data.ts';

const mongoUrl = process.env.MONGO_URL;

const T0 = Date.UTC(2026, 0, 1);
const report = (sku: string, supplier: string, seconds: number, onHand = seconds): StockReport => ({
  sku, supplier, supplierSku: `${supplier}-${sku}`, onHand, supplierAsOf: new Date(T0 + seconds * 1000).toISOString(),
});
const plusOne = (s: { record: { reserved: number } }) => ({ set: { reserved: s.record.reserved + 1 } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Call {
  readonly collection: string;
  readonly method: string;
  readonly filter: unknown;
}

/** A Db whose collections record every method called and the filter it was given (or the inserted `_id`). */
function recordingDb(db: Db, calls: Call[], override: (collection: string, method: string) => (() => Promise<never>) | undefined = () => undefined): Db {
  return {
    collection: (name: string) => {
      const real = db.collection(name);
      return new Proxy(real, {
        get: (target, prop, receiver) => {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if (typeof value !== 'function' || typeof prop !== 'string') return value;
          return (...args: unknown[]) => {
            const first = args[0] as { _id?: unknown } | undefined;
            calls.push({ collection: name, method: prop, filter: prop === 'insertOne' ? { _id: first?._id } : first });
            const replaced = override(name, prop);
            if (replaced !== undefined) return replaced();
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    },
  } as unknown as Db;
}

describe.skipIf(!mongoUrl)('MongoDB stock store: point operations and claims (MONGO_URL)', () => {
  let testDb: TestDatabase;
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    testDb = await openTestDatabase(mongoUrl!, 'stock');
    ({ client, db } = testDb);
  });

  afterAll(async () => {
    await testDb?.close();
  });

  it('uses only exact {_id: string} finds, inserts, replaces and deletes on every hot-path operation', async () => {
    const calls: Call[] = [];
    const store = createMongoStockStore({ db: recordingDb(db, calls), log: silentLogger(), collection: 'points', claimRetentionMs: 1_000 });
    await store.applyReport(report('A', 'rest', 1), 0);
    await store.applyReport(report('A', 'soap', 1), 0);
    await store.applyReport(report('B', 'rest', 1), 0);
    await sleep(2_100); // past 2R (an idle head counts as in place from builtAt + R): the next writes also delete claims
    await store.mutate('A', 'rest', plusOne);
    await store.applyReport(report('A', 'rest', 2), 0);
    await store.applyReport(report('A', 'rest', 1), 0); // stale
    await store.mutate('B', 'none', plusOne); // missing
    await store.get('A', 'rest');
    await store.getState('A', 'soap');
    await store.getBySkus(['A', 'B', 'NONE', 'A']);

    const methods = new Set(calls.map((c) => c.method));
    expect([...methods].sort()).toEqual(['deleteOne', 'findOne', 'insertOne', 'replaceOne']);
    for (const call of calls) {
      expect(Object.keys(call.filter as object)).toEqual(['_id']);
      expect(typeof (call.filter as { _id: unknown })._id).toBe('string');
    }
    // The deletions did happen: claims of A below the newest are gone.
    expect(calls.some((c) => c.method === 'deleteOne' && (c.filter as { _id: string })._id === claimId('A', 1))).toBe(true);
    expect(await db.collection('points_claims').countDocuments({ _id: claimId('A', 1) as never })).toBe(0);
    expect(await store.get('A', 'rest')).toMatchObject({ onHand: 2, reserved: 1, version: 3 });
  });

  it('keeps one document per SKU with every supplier; getBySkus reads each SKU once', async () => {
    const calls: Call[] = [];
    const store = createMongoStockStore({ db: recordingDb(db, calls), log: silentLogger(), collection: 'per_sku' });
    await Promise.all(['rest', 'soap', 'graphql'].map((s) => store.applyReport(report('S', s, 1), 0)));
    expect(await db.collection('per_sku').countDocuments({})).toBe(1);
    const head = await db.collection('per_sku').findOne({ _id: 'S' as never });
    expect(head?.suppliers.map((s: { supplier: string }) => s.supplier)).toEqual(['graphql', 'rest', 'soap']);
    calls.length = 0;
    const [rows] = await store.getBySkus(['S', 'S']);
    expect(rows?.map((r) => r.supplier)).toEqual(['graphql', 'rest', 'soap']);
    expect(calls.filter((c) => c.collection === 'per_sku')).toHaveLength(1);
  });

  it("rolls a crashed winner's claim forward: its head was never published, readers and writers still see it", async () => {
    const calls: Call[] = [];
    const failHead = (collection: string, method: string) =>
      collection === 'crash' && method === 'replaceOne' ? () => Promise.reject(new Error('process died')) : undefined;
    const crashed = createMongoStockStore({ db: recordingDb(db, calls, failHead), log: silentLogger(), collection: 'crash' });
    const other = createMongoStockStore({ db, log: silentLogger(), collection: 'crash' });
    await other.applyReport(report('C', 'rest', 1, 10), 0);
    await crashed.mutate('C', 'rest', plusOne); // claim 2 inserted, head left at 1
    expect((await db.collection('crash').findOne({ _id: 'C' as never }))?.v).toBe(1);
    expect(await other.get('C', 'rest')).toMatchObject({ reserved: 1, version: 2 });
    expect(await other.mutate('C', 'rest', plusOne)).toMatchObject({ outcome: 'applied', before: { version: 2 }, after: { reserved: 2, version: 3 } });
    expect((await db.collection('crash').findOne({ _id: 'C' as never }))?.v).toBe(3);
  });

  it('survives a head that went back (a late replace): the claims above it are still found', async () => {
    const store = createMongoStockStore({ db, log: silentLogger(), collection: 'regress' });
    await store.applyReport(report('H', 'rest', 1), 0);
    const old = await db.collection('regress').findOne({ _id: 'H' as never });
    await store.mutate('H', 'rest', plusOne);
    await store.mutate('H', 'rest', plusOne);
    await db.collection('regress').replaceOne({ _id: 'H' as never }, old!);
    expect(await store.get('H', 'rest')).toMatchObject({ reserved: 2, version: 3 });
    expect(await store.mutate('H', 'rest', plusOne)).toMatchObject({ after: { reserved: 3, version: 4 } });
  });

  it('deletes superseded claims once a head covering them is R old, keeping the collection small', async () => {
    const store = createMongoStockStore({ db, log: silentLogger(), collection: 'retire', claimRetentionMs: 1_000 });
    const claims = db.collection('retire_claims');
    await store.applyReport(report('R', 'rest', 0, 100), 0);
    for (let i = 1; i <= 16; i += 1) {
      await store.mutate('R', 'rest', plusOne);
      await sleep(150);
    }
    // 17 versions over > 2.4 s with R = 1 s: the older ones are gone, the recent ones (and the newest) stay.
    const left = (await claims.find({}).toArray()).map((c) => c.v as number).sort((a, b) => a - b);
    expect(left.length).toBeLessThan(17);
    expect(left[left.length - 1]).toBe(17);
    expect(left).toEqual(Array.from({ length: left.length }, (_, i) => 17 - left.length + 1 + i)); // no gaps
    expect(await store.get('R', 'rest')).toMatchObject({ reserved: 16, version: 17 });
  });

  it("deletes an idle SKU's last claims R after its head was published, leaving the head as the row", async () => {
    const store = createMongoStockStore({ db, log: silentLogger(), collection: 'idle', claimRetentionMs: 1_000 });
    await store.applyReport(report('I', 'rest', 1, 7), 0);
    await store.mutate('I', 'rest', plusOne);
    expect(await db.collection('idle_claims').countDocuments({})).toBe(2);
    await sleep(2_000);
    expect(await db.collection('idle_claims').countDocuments({})).toBe(0);
    expect(await store.get('I', 'rest')).toMatchObject({ onHand: 7, reserved: 1, version: 2 });
    expect(await store.mutate('I', 'rest', plusOne)).toMatchObject({ after: { reserved: 2, version: 3 } });
    expect(await db.collection('idle_claims').countDocuments({ _id: claimId('I', 3) as never })).toBe(1);
    await store.clear();
  });

  it('two store instances (two processes) racing mutations on one SKU lose no update', async () => {
    const otherClient = await new MongoClient(mongoUrl!).connect();
    try {
      const a = createMongoStockStore({ db, log: silentLogger(), collection: 'race' });
      const b = createMongoStockStore({ db: otherClient.db(db.databaseName), log: silentLogger(), collection: 'race' });
      await a.applyReport(report('X', 'rest', 0, 1000), 0);
      await a.applyReport(report('X', 'soap', 0, 1000), 0);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).mutate('X', i % 4 < 2 ? 'rest' : 'soap', plusOne)),
      );
      expect(results.every((r) => r.outcome === 'applied')).toBe(true);
      const [rows] = await b.getBySkus(['X']);
      expect(rows?.map((r) => [r.supplier, r.reserved, r.version])).toEqual([['rest', 20, 21], ['soap', 20, 21]]);
    } finally {
      await otherClient.close();
    }
  });
});
