/**
 * The inventory-sync store contracts against a MongoDB-protocol server (FerretDB in tests), given by MONGO_URL;
 * reported as skipped without it. Works in its own random database and drops it afterwards.
 */
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoDiscrepancyStore } from '../../adapters/storage/mongo/discrepancy-store.ts';
import { createMongoWebhookInbox } from '../../adapters/storage/mongo/webhook-inbox.ts';
import { describeDiscrepancyStoreContract } from '../contract/discrepancy-store.contract.ts';
import { describeWebhookInboxContract } from '../contract/webhook-inbox.contract.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-data.ts';

const mongoUrl = process.env.MONGO_URL;

describe.skipIf(!mongoUrl)('MongoDB-protocol inventory-sync stores (MONGO_URL)', () => {
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

  describeWebhookInboxContract('mongodb', async () => {
    const inbox = createMongoWebhookInbox({ db });
    await inbox.ensureIndexes();
    return inbox;
  });
  describeDiscrepancyStoreContract('mongodb', async () => {
    const store = createMongoDiscrepancyStore({ db });
    await store.ensureIndexes();
    return store;
  });

  it('creates the unique indexes the dedupe relies on, idempotently', async () => {
    const inbox = createMongoWebhookInbox({ db });
    await inbox.ensureIndexes();
    await inbox.ensureIndexes();
    const discrepancies = createMongoDiscrepancyStore({ db });
    await discrepancies.ensureIndexes();
    const uniqueNames = async (name: string) => (await db.collection(name).listIndexes().toArray()).filter((i) => i.unique === true).map((i) => i.name);
    expect(await uniqueNames('webhook_inbox')).toEqual(['supplier_delivery_unique']);
    expect(await uniqueNames('stock_discrepancies')).toEqual(['run_supplier_sku_unique']);
  });
});
