/**
 * The reservation contracts against a MongoDB-protocol server (FerretDB in tests: conditional updates are not atomic
 * there, so these cases prove the protocol relies only on unique-index inserts). Skipped, never silently passed,
 * without MONGO_URL. Works in its own random database and drops it afterwards.
 */
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoReservationStore } from '../../adapters/storage/mongo/reservation-store.ts';
import { createMongoStockStore } from '../../adapters/storage/mongo/stock-store.ts';
import { silentLogger } from '../../platform/logger.ts';
import { describeReservationStoreContract, newReservation } from '../contract/reservation-store.contract.ts';
import { describeReservationsContract } from '../contract/reservations.contract.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-data.ts';

const mongoUrl = process.env.MONGO_URL;

describe.skipIf(!mongoUrl)('MongoDB-protocol reservations (MONGO_URL)', () => {
  let testDb: TestDatabase;
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    testDb = await openTestDatabase(mongoUrl!, 'contract');
    ({ client, db } = testDb);
  });

  afterAll(async () => {
    await testDb?.close();
  });

  const reservationStore = async (collection = 'reservations') => {
    const store = createMongoReservationStore({ db, collection, outcomesCollection: `${collection}_outcomes` });
    await store.ensureIndexes();
    return store;
  };

  describeReservationStoreContract('mongodb', () => reservationStore('store_contract'));
  describeReservationsContract('mongodb', async () => {
    const stock = createMongoStockStore({ db, log: silentLogger(), collection: 'stock_reservations' });
    await stock.ensureIndexes();
    return { stock, reservations: await reservationStore() };
  });

  it('regression: a writer whose read went stale while its version was written and deleted (ABA) does not win', async () => {
    // What broke: with old versions deleted at once, a slow writer could insert version k after k had been written
    // and deleted, "winning" below the newest version and silently losing its update. Writer B is held between its
    // read and its insert (a gate on insertOne) while writer A, another process's store, writes k and k + 1.
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let gated = 0;
    const gatedDb = {
      collection: (name: string) => {
        const real = db.collection(name);
        return new Proxy(real, {
          get: (target, prop, receiver) =>
            prop === 'insertOne'
              ? async (...args: Parameters<typeof real.insertOne>) => {
                  if (gated++ === 0) await gate;
                  return target.insertOne(...args);
                }
              : Reflect.get(target, prop, receiver),
        });
      },
    } as unknown as Db;
    const a = createMongoStockStore({ db, log: silentLogger(), collection: 'stock_aba' });
    const b = createMongoStockStore({ db: gatedDb, log: silentLogger(), collection: 'stock_aba' });
    await a.ensureIndexes();
    await a.applyReport({ sku: 'P', supplier: 'rest', supplierSku: 'R', onHand: 10, supplierAsOf: new Date().toISOString() }, 0);
    const plusOne = (s: { record: { reserved: number } }) => ({ set: { reserved: s.record.reserved + 1 } });
    const slow = b.mutate('P', 'rest', plusOne); // reads version 1, decides version 2, waits at the gate
    await new Promise((resolve) => setTimeout(resolve, 100));
    await a.mutate('P', 'rest', plusOne); // version 2 (deletes 1)
    await a.mutate('P', 'rest', plusOne); // version 3 (deletes 2)
    expect(await db.collection('stock_aba').countDocuments({ sku: 'P' })).toBe(1);
    openGate();
    const result = await slow;
    expect(result).toMatchObject({ outcome: 'applied', before: { version: 3 }, after: { version: 4, reserved: 3 } });
    expect(await a.get('P', 'rest')).toMatchObject({ reserved: 3, version: 4 });
    expect(await db.collection('stock_aba').countDocuments({ sku: 'P' })).toBe(1);
  });

  it('creates the unique indexes the protocol relies on, idempotently', async () => {
    await reservationStore();
    const store = await reservationStore();
    await store.create(newReservation('index-check'));
    await store.settle('index-check', 'released', new Date().toISOString());
    const uniqueNames = async (name: string) =>
      (await db.collection(name).listIndexes().toArray()).filter((i) => i.unique === true).map((i) => i.name).sort();
    // The reservation id is `_id` in both collections, unique on every server without an index of our own.
    expect(await uniqueNames('reservations')).toEqual(['tenant_idempotency_key_unique']);
    expect(await db.collection('reservations').countDocuments({ _id: 'index-check' as never })).toBe(1);
    expect(await uniqueNames('reservations_outcomes')).toEqual([]);
  });
});
