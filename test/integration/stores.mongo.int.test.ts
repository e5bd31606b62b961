/**
 * The document-store contracts against a MongoDB-protocol server (FerretDB in tests, see docs/testing.md), given by
 * MONGO_URL. Reported as skipped, never silently passed, when MONGO_URL is absent; scripts/test.sh counts skips
 * and CI fails on any. The file works in its own random database and drops it afterwards.
 */
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoCatalogStore } from '../../adapters/storage/mongo/catalog-store.ts';
import { createMongoOrderStore } from '../../adapters/storage/mongo/order-store.ts';
import { createMongoStockStore } from '../../adapters/storage/mongo/stock-store.ts';
import { openStores } from '../../adapters/storage/open-stores.ts';
import { silentLogger } from '../../platform/logger.ts';
import { describeCatalogStoreContract, newProduct } from '../contract/catalog-store.contract.ts';
import { describeOrderStoreContract } from '../contract/order-store.contract.ts';
import { describeStockStoreContract } from '../contract/stock-store.contract.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-data.ts';

const mongoUrl = process.env.MONGO_URL;

describe.skipIf(!mongoUrl)('MongoDB-protocol stores (MONGO_URL)', () => {
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

  describeCatalogStoreContract('mongodb', async () => {
    const store = createMongoCatalogStore({ db });
    await store.ensureIndexes();
    return store;
  });
  describeStockStoreContract('mongodb', async () => {
    const store = createMongoStockStore({ db, log: silentLogger() });
    await store.ensureIndexes();
    return store;
  });
  describeOrderStoreContract('mongodb', async () => {
    const store = createMongoOrderStore({ db });
    await store.ensureIndexes();
    return store;
  });

  describe('what only the MongoDB stores promise', () => {
    it('creates the unique indexes it relies on, idempotently', async () => {
      const catalog = createMongoCatalogStore({ db });
      await catalog.ensureIndexes();
      await catalog.ensureIndexes();
      const uniqueNames = async (name: string) =>
        (await db.collection(name).listIndexes().toArray()).filter((i) => i.unique === true).map((i) => i.name).sort();
      expect(await uniqueNames('products')).toEqual(['gtin_key_unique', 'manufacturer_mpn_key_unique', 'sku_unique']);
      expect(await uniqueNames('product_suppliers')).toEqual(['sku_supplier_unique']);
      // The stock store needs none: its one arbiter is the claim's `_id` (test/integration/stock-store.mongo.int.test.ts).
      expect(await uniqueNames('stock')).toEqual([]);
      expect(await uniqueNames('orders')).toEqual(['tenant_id_unique', 'tenant_idempotency_key_unique']);
    });

    it('two store instances (as two processes would have) still keep the newest report', async () => {
      const otherClient = await new MongoClient(mongoUrl!).connect();
      try {
        const a = createMongoStockStore({ db, log: silentLogger() });
        const b = createMongoStockStore({ db: otherClient.db(db.databaseName), log: silentLogger() });
        await a.clear();
        const reports = Array.from({ length: 30 }, (_, i) => ({
          sku: 'X', supplier: 'rest', supplierSku: 'R', onHand: i, supplierAsOf: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        }));
        await Promise.all(reports.map((r, i) => (i % 2 === 0 ? a : b).applyReport(r, 0)));
        expect(await a.get('X', 'rest')).toMatchObject({ onHand: 29 });
      } finally {
        await otherClient.close();
      }
    });
  });

  describe('openStores with MONGO_URL', () => {
    it('opens MongoDB stores in the named database and creates their indexes', async () => {
      const stores = await openStores({ mongoUrl, mongoDb: db.databaseName }, silentLogger());
      try {
        expect(stores.mode).toEqual({ documents: 'mongodb', cache: 'memory' });
        await stores.catalog.clear();
        await stores.catalog.insert(newProduct('OPEN-1'));
        expect(await db.collection('products').countDocuments({ sku: 'OPEN-1' })).toBe(1);
      } finally {
        await stores.catalog.clear();
        await stores.close();
      }
    });
  });
});
