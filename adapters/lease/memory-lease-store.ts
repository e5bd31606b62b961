import { checkLeaseTtl, type LeaseGrant, type LeaseStore } from '../../platform/ports/lease-store.ts';

/** Leases of one process (embedded mode): right when there is one `jobs` process, which is all embedded mode runs. */
export function createMemoryLeaseStore(options: { now?: () => number } = {}): LeaseStore {
  const now = options.now ?? Date.now;
  const held = new Map<string, { holder: string; token: number; expiresAt: number }>();
  const fences = new Map<string, number>();
  const current = (grant: LeaseGrant) => {
    const entry = held.get(grant.name);
    return entry !== undefined && entry.expiresAt > now() && entry.holder === grant.holder && entry.token === grant.token ? entry : undefined;
  };
  return {
    async acquire(name, holder, ttlMs) {
      checkLeaseTtl(ttlMs);
      const entry = held.get(name);
      if (entry !== undefined && entry.expiresAt > now()) return null;
      const token = (fences.get(name) ?? 0) + 1;
      fences.set(name, token);
      held.set(name, { holder, token, expiresAt: now() + ttlMs });
      return { name, holder, token };
    },
    async renew(grant, ttlMs) {
      checkLeaseTtl(ttlMs);
      const entry = current(grant);
      if (entry === undefined) return false;
      entry.expiresAt = now() + ttlMs;
      return true;
    },
    async isCurrent(grant) {
      return current(grant) !== undefined;
    },
    async release(grant) {
      if (current(grant) !== undefined) held.delete(grant.name);
    },
    async close() {},
  };
}
