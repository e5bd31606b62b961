import type { ApiTokenRecord, TokenStore } from '../../../platform/ports/token-store.ts';

const LIST_LIMIT = 1_000;

/** The embedded TokenStore: tokens live as long as the process. Records are copied in and out. */
export function createMemoryTokenStore(): TokenStore {
  const byId = new Map<string, ApiTokenRecord>();
  const idByHash = new Map<string, string>();

  return {
    async insert(record) {
      if (byId.has(record.id) || idByHash.has(record.hash)) throw new Error(`duplicate API token ${record.id}`);
      byId.set(record.id, structuredClone(record));
      idByHash.set(record.hash, record.id);
    },
    async findByHash(hash) {
      const id = idByHash.get(hash);
      return id === undefined ? null : structuredClone(byId.get(id)!);
    },
    async get(id) {
      const found = byId.get(id);
      return found === undefined ? null : structuredClone(found);
    },
    async list(filter) {
      return [...byId.values()]
        .filter((t) => (filter.tenant === undefined || t.tenant === filter.tenant) && (filter.includeRevoked || t.revokedAt === null))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
        .slice(0, LIST_LIMIT)
        .map((t) => structuredClone(t));
    },
    async revoke(id, at) {
      const found = byId.get(id);
      if (found === undefined) return null;
      if (found.revokedAt === null) byId.set(id, { ...found, revokedAt: new Date(at).toISOString() });
      return structuredClone(byId.get(id)!);
    },
    async clear() {
      byId.clear();
      idByHash.clear();
    },
  };
}
