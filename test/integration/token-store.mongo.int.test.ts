/**
 * The TokenStore contract against a MongoDB-protocol server (FerretDB in tests), given by MONGO_URL; reported as
 * skipped without it. Works in its own random database and drops it afterwards.
 */
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoTokenStore } from '../../adapters/storage/mongo/token-store.ts';
import { describeTokenStoreContract, newTokenRecord } from '../contract/token-store.contract.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-data.ts';

const mongoUrl = process.env.MONGO_URL;

describe.skipIf(!mongoUrl)('MongoDB-protocol token store (MONGO_URL)', () => {
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

  describeTokenStoreContract('mongodb', async () => {
    const store = createMongoTokenStore({ db });
    await store.ensureIndexes();
    return store;
  });

  it('stores only the hash: no field of the document holds the token', async () => {
    const store = createMongoTokenStore({ db, collection: 'api_tokens_raw' });
    await store.ensureIndexes();
    const { token, record } = newTokenRecord();
    await store.insert(record);
    const raw = await db.collection('api_tokens_raw').findOne({ _id: record.id as never });
    expect(JSON.stringify(raw)).not.toContain(token);
    expect(JSON.stringify(raw)).not.toContain(token.slice(4, 20));
    const unique = (await db.collection('api_tokens_raw').listIndexes().toArray()).filter((i) => i.unique === true).map((i) => i.name);
    expect(unique).toEqual(['hash_unique']);
  });
});
