import type { Collection, Db, Filter } from 'mongodb';
import type { AuditEntry, AuditLogStore, AuditPage } from '../../../platform/ports/audit-log.ts';
import { auditSortKey, checkAuditEntry, duplicateAuditId } from '../audit-keys.ts';
import { checkPageSize, decodeCursor, encodeCursor } from '../cursor.ts';
import { isDuplicateKeyError, storeCall } from './mongo-errors.ts';

export interface MongoAuditLogStoreOptions {
  readonly db: Db;
  /** @default 'audit_log' */
  readonly collection?: string;
}

export interface MongoAuditLogStore extends AuditLogStore {
  ensureIndexes(): Promise<void>;
}

const PROJECTION = { _id: 0 } as const;

/**
 * AuditLogStore on a MongoDB-protocol server. This code only ever inserts and reads; in production give the
 * process a database role with insert and find on `audit_log` and nothing else (docs/security.md), so even a
 * compromised process cannot rewrite history.
 */
export function createMongoAuditLogStore(options: MongoAuditLogStoreOptions): MongoAuditLogStore {
  const entries: Collection<AuditEntry> = options.db.collection<AuditEntry>(options.collection ?? 'audit_log');
  return {
    async ensureIndexes() {
      await storeCall('audit.ensureIndexes', async () => {
        await entries.createIndex({ id: 1 }, { name: 'id_unique', unique: true });
        await entries.createIndex({ at: -1, id: -1 }, { name: 'newest_first' });
        await entries.createIndex({ action: 1, at: -1, id: -1 }, { name: 'action_newest_first' });
        await entries.createIndex({ tenant: 1, at: -1, id: -1 }, { name: 'tenant_newest_first' });
      });
    },

    async append(entry) {
      checkAuditEntry(entry);
      await storeCall('audit.append', async () => {
        try {
          await entries.insertOne({ ...entry }); // a copy: the driver adds _id to the object it is given
        } catch (error) {
          if (isDuplicateKeyError(error)) throw duplicateAuditId(entry.id);
          throw error;
        }
      });
    },

    async list(filter, first, after): Promise<AuditPage> {
      checkPageSize(first, 500);
      const clauses: Filter<AuditEntry>[] = [];
      if (filter.action !== undefined) clauses.push({ action: filter.action });
      if (filter.tenant !== undefined) clauses.push({ tenant: filter.tenant });
      if (filter.actor !== undefined) clauses.push({ actor: filter.actor });
      if (after !== null) {
        const [at, id] = decodeCursor(after, 2) as [string, string];
        clauses.push({ $or: [{ at: { $lt: at } }, { at, id: { $lt: id } }] });
      }
      return storeCall('audit.list', async () => {
        const docs = (await entries
          .find(clauses.length > 0 ? { $and: clauses } : {}, { projection: PROJECTION })
          .sort({ at: -1, id: -1 })
          .limit(first + 1)
          .toArray()) as AuditEntry[];
        const page = docs.slice(0, first);
        const last = page[page.length - 1];
        return { items: page, nextCursor: docs.length > first && last ? encodeCursor(auditSortKey(last)) : null };
      });
    },
  };
}
