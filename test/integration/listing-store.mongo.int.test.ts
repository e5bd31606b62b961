/**
 * The ListingStore contract on a MongoDB-protocol server (FerretDB in tests), given by MONGO_URL; and that a
 * filtered, sorted page is one `find` using the declared indexes (no `$text`, which FerretDB 1.24 lacks).
 * Works in its own random database and drops it afterwards.
 */
import type { CommandStartedEvent, Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoListingStore } from '../../adapters/storage/mongo/listing-store.ts';
import { describeListingStoreContract, listingDoc } from '../contract/listing-store.contract.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-data.ts';

const mongoUrl = process.env.MONGO_URL;

describe.skipIf(!mongoUrl)('MongoDB-protocol listing store (MONGO_URL)', () => {
  let testDb: TestDatabase;
  let db: Db;
  const commands: CommandStartedEvent[] = [];

  beforeAll(async () => {
    testDb = await openTestDatabase(mongoUrl!, 'listing', { monitorCommands: true });
    db = testDb.db;
    testDb.client.on('commandStarted', (e) => commands.push(e));
    await createMongoListingStore({ db }).ensureIndexes();
  }, 30_000);

  afterAll(async () => {
    await testDb?.close();
  });

  describeListingStoreContract('mongodb', async () => createMongoListingStore({ db }));

  it('creates the documented indexes', async () => {
    const names = (await db.collection('product_listing').listIndexes().toArray()).map((i) => i.name as string).sort();
    expect(names).toEqual(['_id_', 'brand_price', 'categories', 'in_stock_price', 'sort_sAvail', 'sort_sNewest', 'sort_sPriceAsc', 'sort_sPriceDesc', 'suppliers', 'terms'].sort());
  });

  it('a filtered, sorted page is one find with a limit', async () => {
    const store = createMongoListingStore({ db });
    await store.clear();
    await store.upsert([listingDoc('A', { terms: ['navy'] })]);
    commands.length = 0;
    await store.page({ terms: ['navy'], brandKeys: ['acme'], inStock: true }, 'priceAsc', { key: 0, sku: '' }, 25);
    const seen = commands.filter((c) => c.databaseName === db.databaseName);
    expect(seen.map((c) => c.commandName)).toEqual(['find']);
    expect((seen[0]!.command as { limit?: number }).limit).toBe(25);
  });

  it('a listing query\'s page and scan of one filter, asked together, are one find (FerretDB reads the collection once)', async () => {
    const store = createMongoListingStore({ db });
    await store.clear();
    await store.upsert([listingDoc('A', { terms: ['navy'] }), listingDoc('B', { terms: ['navy'] })]);
    commands.length = 0;
    const f = { terms: ['navy'], inStock: true };
    const [page, keys] = await Promise.all([store.page(f, 'priceAsc', null, 25), store.scan(f, 5_000)]);
    expect(page.map((d) => d.sku)).toEqual(['A', 'B']);
    expect(keys.map((k) => k.sku).sort()).toEqual(['A', 'B']);
    const seen = commands.filter((c) => c.databaseName === db.databaseName);
    expect(seen.map((c) => c.commandName)).toEqual(['find']);
    // The whole scan in the first reply: no getMore however many matches (up to the limit).
    expect((seen[0]!.command as { batchSize?: number }).batchSize).toBeGreaterThanOrEqual(5_000);
  });
});
