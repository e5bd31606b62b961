/** One contract for every AuditLogStore: append-only (an id is never replaced), newest-first paging, filters. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLogStore } from '../../platform/ports/audit-log.ts';
import { expectRegistryCode } from './registry-error-assert.ts';

/** A fresh, empty store per call: the port has no delete, on purpose. */
export type AuditLogStoreFactory = () => Promise<AuditLogStore>;

let counter = 0;
export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  counter += 1;
  return {
    id: `id-${String(counter).padStart(6, '0')}`,
    at: '2026-01-01T00:00:00.000Z',
    actor: 'token:tok-1',
    tenant: 'tenant-a',
    action: 'token.used',
    target: 'token:tok-1',
    outcome: 'success',
    requestId: 'req-1',
    reason: null,
    ...overrides,
  };
}

export function describeAuditLogStoreContract(name: string, make: AuditLogStoreFactory): void {
  describe(`AuditLogStore contract: ${name}`, () => {
    let store: AuditLogStore;

    beforeEach(async () => {
      store = await make();
    });

    it('appends and reads entries back unchanged, newest first', async () => {
      const older = auditEntry({ at: '2026-01-01T00:00:00.000Z' });
      const newer = auditEntry({ at: '2026-01-02T00:00:00.000Z', action: 'order.placed', target: 'order:ord-1', outcome: 'failure', reason: 'OUT_OF_STOCK' });
      await store.append(older);
      await store.append(newer);
      expect(await store.list({}, 10, null)).toEqual({ items: [newer, older], nextCursor: null });
    });

    it('never replaces an entry: a second append with the same id is refused and the first is kept', async () => {
      const entry = auditEntry();
      await store.append(entry);
      await expectRegistryCode(store.append({ ...entry, outcome: 'denied', actor: 'token:someone-else' }), 'INVALID_INPUT');
      expect((await store.list({}, 10, null)).items).toEqual([entry]);
    });

    it('pages stably by (at, id), also among entries of the same millisecond', async () => {
      const entries = Array.from({ length: 7 }, (_, i) => auditEntry({ at: `2026-01-01T00:00:0${i % 3}.000Z` }));
      for (const e of [...entries].reverse()) await store.append(e);
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page = await store.list({}, 3, after);
        seen.push(...page.items.map((e) => e.id));
        after = page.nextCursor;
      } while (after !== null);
      const expected = [...entries].sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1)).map((e) => e.id);
      expect(seen).toEqual(expected);
    });

    it('filters by action, tenant and actor', async () => {
      await store.append(auditEntry({ action: 'token.issued', tenant: 'tenant-a', actor: 'subject:admin' }));
      await store.append(auditEntry({ action: 'order.placed', tenant: 'tenant-b', actor: 'token:tok-2' }));
      await store.append(auditEntry({ action: 'order.placed', tenant: 'tenant-a', actor: 'token:tok-1' }));
      expect((await store.list({ action: 'order.placed' }, 10, null)).items.map((e) => e.tenant).sort()).toEqual(['tenant-a', 'tenant-b']);
      expect((await store.list({ tenant: 'tenant-a' }, 10, null)).items).toHaveLength(2);
      expect((await store.list({ action: 'order.placed', actor: 'token:tok-1' }, 10, null)).items).toHaveLength(1);
    });

    it('refuses bad page sizes, cursors and incomplete entries', async () => {
      await expectRegistryCode(store.list({}, 0, null), 'INVALID_INPUT');
      await expectRegistryCode(store.list({}, 501, null), 'INVALID_INPUT');
      await expectRegistryCode(store.list({}, 5, 'garbage'), 'INVALID_INPUT');
      await expectRegistryCode(store.append(auditEntry({ action: '' })), 'INVALID_INPUT');
      await expectRegistryCode(store.append(auditEntry({ at: 'yesterday' })), 'INVALID_INPUT');
    });
  });
}
