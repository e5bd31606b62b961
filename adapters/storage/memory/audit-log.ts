import type { AuditEntry, AuditLogStore, AuditPage } from '../../../platform/ports/audit-log.ts';
import { auditMatches, auditSortKey, checkAuditEntry, compareNewestFirst, duplicateAuditId } from '../audit-keys.ts';
import { checkPageSize, decodeCursor, encodeCursor } from '../cursor.ts';

/** The embedded AuditLogStore: append and read, nothing else; entries are frozen copies. */
export function createMemoryAuditLogStore(): AuditLogStore {
  const entries = new Map<string, AuditEntry>();
  return {
    async append(entry) {
      checkAuditEntry(entry);
      if (entries.has(entry.id)) throw duplicateAuditId(entry.id);
      entries.set(entry.id, Object.freeze({ ...entry }));
    },

    async list(filter, first, after): Promise<AuditPage> {
      checkPageSize(first, 500);
      const cursor = after === null ? null : (decodeCursor(after, 2) as [string, string]);
      const matching = [...entries.values()]
        .filter((e) => auditMatches(e, filter) && (cursor === null || compareNewestFirst(auditSortKey(e), cursor) > 0))
        .sort((a, b) => compareNewestFirst(auditSortKey(a), auditSortKey(b)));
      const page = matching.slice(0, first);
      const last = page[page.length - 1];
      return { items: page.map((e) => ({ ...e })), nextCursor: matching.length > first && last ? encodeCursor(auditSortKey(last)) : null };
    },
  };
}
