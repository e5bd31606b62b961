/**
 * The credential-store and audit-log contracts against a MongoDB-protocol server (MONGO_URL), in a random database
 * dropped afterwards. Reported as skipped, never silently passed, without MONGO_URL (scripts/test.sh counts skips).
 */
import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoAuditLogStore } from '../../adapters/storage/mongo/audit-log.ts';
import { createMongoCredentialStore } from '../../adapters/storage/mongo/credential-store.ts';
import { describeAuditLogStoreContract } from '../contract/audit-log.contract.ts';
import { describeCredentialStoreContract } from '../contract/credential-store.contract.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-data.ts';

const mongoUrl = process.env.MONGO_URL;

describe.skipIf(!mongoUrl)('MongoDB-protocol security stores (MONGO_URL)', () => {
  let testDb: TestDatabase;
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    testDb = await openTestDatabase(mongoUrl!, 'security');
    ({ client, db } = testDb);
  });

  afterAll(async () => {
    await testDb?.close();
  });

  describeCredentialStoreContract('mongodb', async () => {
    const store = createMongoCredentialStore({ db });
    await store.ensureIndexes();
    return store;
  });
  // The audit port has no delete: each test gets its own collection.
  describeAuditLogStoreContract('mongodb', async () => {
    const store = createMongoAuditLogStore({ db, collection: `audit_log_${randomBytes(4).toString('hex')}` });
    await store.ensureIndexes();
    return store;
  });

  it('stores only ciphertext and key ids in supplier_credentials', async () => {
    const store = createMongoCredentialStore({ db, collection: 'supplier_credentials_shape' });
    await store.ensureIndexes();
    await store.add({ supplier: 'brightline', field: 'clientSecret', ciphertext: 'v1.w.i.c.t', kekId: 'kek-a', createdAt: '2026-01-01T00:00:00.000Z' });
    const [doc] = await db.collection('supplier_credentials_shape').find({}, { projection: { _id: 0 } }).toArray();
    expect(Object.keys(doc!).sort()).toEqual(['ciphertext', 'createdAt', 'field', 'kekId', 'supplier', 'version']);
  });
});
