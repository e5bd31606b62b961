import type { CredentialStore, StoredCredential } from '../../../platform/ports/credential-store.ts';
import { checkCredentialName, checkNewCredential, compareCredentials } from '../credential-keys.ts';

/** The embedded CredentialStore: sealed values only, copied in and out. Lost on exit, like every embedded store. */
export function createMemoryCredentialStore(): CredentialStore {
  const rows = new Map<string, StoredCredential>(); // supplier \0 field \0 version
  const keyOf = (c: { supplier: string; field: string; version: number }) => `${c.supplier}\u0000${c.field}\u0000${c.version}`;
  const sorted = () => [...rows.values()].sort(compareCredentials).map((c) => ({ ...c }));

  return {
    async add(credential) {
      checkNewCredential(credential);
      const versions = [...rows.values()].filter((c) => c.supplier === credential.supplier && c.field === credential.field).map((c) => c.version);
      const stored: StoredCredential = { ...credential, version: Math.max(0, ...versions) + 1 };
      rows.set(keyOf(stored), stored);
      return { ...stored };
    },

    async latest(supplier) {
      const newest = new Map<string, StoredCredential>();
      for (const c of sorted()) if (supplier === undefined || c.supplier === supplier) newest.set(`${c.supplier}\u0000${c.field}`, c);
      return [...newest.values()];
    },

    async all() {
      return sorted();
    },

    async rewrap(key, fromKekId, next) {
      const current = rows.get(keyOf(key));
      if (!current || current.kekId !== fromKekId) return false;
      rows.set(keyOf(key), { ...current, ciphertext: next.ciphertext, kekId: next.kekId });
      return true;
    },

    async deleteBelow(supplier, field, version) {
      checkCredentialName(supplier, field);
      let removed = 0;
      for (const [key, c] of rows) {
        if (c.supplier === supplier && c.field === field && c.version < version) {
          rows.delete(key);
          removed += 1;
        }
      }
      return removed;
    },

    async clear() {
      rows.clear();
    },
  };
}
