import type { Collection, Db } from 'mongodb';
import { registryError } from '../../../kernel/errors.ts';
import type { CredentialStore, StoredCredential } from '../../../platform/ports/credential-store.ts';
import { checkCredentialName, checkNewCredential } from '../credential-keys.ts';
import { conflictBackoff, isDuplicateKeyError, storeCall } from './mongo-errors.ts';

export interface MongoCredentialStoreOptions {
  readonly db: Db;
  /** @default 'supplier_credentials' */
  readonly collection?: string;
}

export interface MongoCredentialStore extends CredentialStore {
  ensureIndexes(): Promise<void>;
}

const PROJECTION = { _id: 0 } as const;
const ORDER = { supplier: 1, field: 1, version: 1 } as const;

/**
 * CredentialStore on a MongoDB-protocol server: one document per (supplier, field, version) holding only the sealed
 * envelope. The unique index is what hands concurrent writers distinct versions: the loser of a race retries with
 * the next number.
 */
export function createMongoCredentialStore(options: MongoCredentialStoreOptions): MongoCredentialStore {
  const rows: Collection<StoredCredential> = options.db.collection<StoredCredential>(options.collection ?? 'supplier_credentials');

  return {
    async ensureIndexes() {
      await storeCall('credentials.ensureIndexes', async () => {
        await rows.createIndex({ supplier: 1, field: 1, version: 1 }, { name: 'supplier_field_version_unique', unique: true });
        await rows.createIndex({ kekId: 1 }, { name: 'kek_id' });
      });
    },

    async add(credential) {
      checkNewCredential(credential);
      return storeCall('credentials.add', async () => {
        for (let attempt = 0; attempt < 8; attempt += 1) {
          const newest = await rows.find({ supplier: credential.supplier, field: credential.field }, { projection: { version: 1 } }).sort({ version: -1 }).limit(1).toArray();
          const stored: StoredCredential = {
            supplier: credential.supplier,
            field: credential.field,
            version: (newest[0]?.version ?? 0) + 1,
            ciphertext: credential.ciphertext,
            kekId: credential.kekId,
            createdAt: credential.createdAt,
          };
          try {
            await rows.insertOne({ ...stored }); // a copy: the driver adds _id to the object it is given
            return stored;
          } catch (error) {
            if (!isDuplicateKeyError(error)) throw error;
            await conflictBackoff(attempt);
          }
        }
        throw registryError('STORE_FAILURE', 'credential version kept colliding', { operation: 'credentials.add' });
      });
    },

    async latest(supplier) {
      return storeCall('credentials.latest', async () => {
        const all = (await rows.find(supplier === undefined ? {} : { supplier }, { projection: PROJECTION }).sort(ORDER).toArray()) as StoredCredential[];
        const newest = new Map<string, StoredCredential>();
        for (const c of all) newest.set(`${c.supplier}\u0000${c.field}`, c);
        return [...newest.values()];
      });
    },

    async all() {
      return storeCall('credentials.all', async () => (await rows.find({}, { projection: PROJECTION }).sort(ORDER).toArray()) as StoredCredential[]);
    },

    async rewrap(key, fromKekId, next) {
      return storeCall('credentials.rewrap', async () => {
        const result = await rows.updateOne(
          { supplier: key.supplier, field: key.field, version: key.version, kekId: fromKekId },
          { $set: { ciphertext: next.ciphertext, kekId: next.kekId } },
        );
        return result.modifiedCount === 1;
      });
    },

    async deleteBelow(supplier, field, version) {
      checkCredentialName(supplier, field);
      return storeCall('credentials.deleteBelow', async () => (await rows.deleteMany({ supplier, field, version: { $lt: version } })).deletedCount);
    },

    async clear() {
      await storeCall('credentials.clear', async () => {
        await rows.deleteMany({});
      });
    },
  };
}
