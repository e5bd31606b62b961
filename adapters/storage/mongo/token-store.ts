import type { Collection, Db } from 'mongodb';
import type { ApiTokenRecord, TokenStore } from '../../../platform/ports/token-store.ts';
import { isDuplicateKeyError, storeCall } from './mongo-errors.ts';

export interface MongoTokenStoreOptions {
  readonly db: Db;
  /** @default 'api_tokens' */
  readonly collection?: string;
}

export interface MongoTokenStore extends TokenStore {
  ensureIndexes(): Promise<void>;
}

interface TokenDoc extends ApiTokenRecord {
  _id: string;
}

interface RevocationDoc {
  _id: string;
  at: string;
}

const PROJECTION = { _id: 0 } as const;
const LIST_LIMIT = 1_000;

/**
 * TokenStore on a MongoDB-protocol server: `api_tokens` keyed by id with a unique index on the hash. Revocation is
 * decided by an insert into `api_token_revocations` (first writer wins, atomic on every server, see
 * docs/testing.md), then copied onto the token, so concurrent revokes agree on one revocation time.
 */
export function createMongoTokenStore(options: MongoTokenStoreOptions): MongoTokenStore {
  const name = options.collection ?? 'api_tokens';
  const tokens: Collection<TokenDoc> = options.db.collection<TokenDoc>(name);
  const revocations: Collection<RevocationDoc> = options.db.collection<RevocationDoc>(`${name.replace(/s$/, '')}_revocations`);
  const read = (filter: Partial<TokenDoc>): Promise<ApiTokenRecord | null> =>
    tokens.findOne(filter, { projection: PROJECTION }) as Promise<ApiTokenRecord | null>;

  return {
    async ensureIndexes() {
      await storeCall('api_tokens.ensureIndexes', async () => {
        await tokens.createIndex({ hash: 1 }, { name: 'hash_unique', unique: true });
        await tokens.createIndex({ tenant: 1, createdAt: 1 }, { name: 'tenant_created' });
      });
    },
    async insert(record) {
      await storeCall('api_tokens.insert', () => tokens.insertOne({ ...structuredClone(record), _id: record.id } as TokenDoc));
    },
    async findByHash(hash) {
      return storeCall('api_tokens.findByHash', () => read({ hash }));
    },
    async get(id) {
      return storeCall('api_tokens.get', () => read({ _id: id }));
    },
    async list(filter) {
      const query: Record<string, unknown> = {};
      if (filter.tenant !== undefined) query['tenant'] = filter.tenant;
      if (!filter.includeRevoked) query['revokedAt'] = null;
      return storeCall('api_tokens.list', async () =>
        (await tokens.find(query, { projection: PROJECTION }).sort({ createdAt: 1, _id: 1 }).limit(LIST_LIMIT).toArray()) as ApiTokenRecord[],
      );
    },
    async revoke(id, at) {
      return storeCall('api_tokens.revoke', async () => {
        if ((await read({ _id: id })) === null) return null;
        try {
          await revocations.insertOne({ _id: id, at: new Date(at).toISOString() });
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
        const winner = await revocations.findOne({ _id: id });
        await tokens.updateOne({ _id: id }, { $set: { revokedAt: winner!.at } });
        return read({ _id: id });
      });
    },
    async clear() {
      await storeCall('api_tokens.clear', async () => {
        await tokens.deleteMany({});
        await revocations.deleteMany({});
      });
    },
  };
}
