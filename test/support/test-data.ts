/**
 * A test's own data on the real services: a random database it opens and drops, and the Redis keys under its prefix.
 * One place for what every integration, end-to-end and fault suite does to clean up after itself.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';

export interface TestDatabase {
  readonly client: MongoClient;
  readonly db: Db;
  /** Drops the database and closes the client. */
  close(): Promise<void>;
}

/** Connects to `mongoUrl` and opens a fresh database `<prefix>_<random hex>`. */
export async function openTestDatabase(mongoUrl: string, prefix: string, options: MongoClientOptions = {}): Promise<TestDatabase> {
  const client = await new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5_000, ...options }).connect();
  const db = client.db(`${prefix}_${randomBytes(6).toString('hex')}`);
  return {
    client,
    db,
    async close() {
      try {
        await db.dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

/** Where a test's stack kept its data: the fields of Config it uses (a Config fits). */
export interface TestDataLocation {
  readonly mongoUrl?: string | undefined;
  readonly mongoDb?: string | undefined;
  readonly redisUrl?: string | undefined;
  readonly keyPrefix?: string | undefined;
}

/** Drops the test's database and deletes its Redis keys; a part without its server or name is skipped. */
export async function cleanUpTestData(where: TestDataLocation): Promise<void> {
  if (where.mongoUrl && where.mongoDb) {
    const client = await new MongoClient(where.mongoUrl, { serverSelectionTimeoutMS: 5_000 }).connect();
    try {
      await client.db(where.mongoDb).dropDatabase();
    } finally {
      await client.close();
    }
  }
  if (where.redisUrl && where.keyPrefix) {
    const redis = new Redis(where.redisUrl);
    try {
      const keys = await redis.keys(`${where.keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  }
}
