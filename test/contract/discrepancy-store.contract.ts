/** One contract for every DiscrepancyStore: runs, discrepancies in (supplier, sku) order with cursors, retention. */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DiscrepancyRecord, DiscrepancyStore, ReconciliationRun } from '../../platform/ports/discrepancy-store.ts';
import { expectRegistryCode } from './registry-error-assert.ts';

export type DiscrepancyStoreFactory = () => Promise<DiscrepancyStore>;

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

const run = (id: string, startedAt: string, overrides: Partial<ReconciliationRun> = {}): ReconciliationRun => ({
  id,
  startedAt,
  finishedAt: null,
  status: 'running',
  suppliers: [],
  ...overrides,
});

const discrepancy = (runId: string, supplier: string, sku: string, overrides: Partial<DiscrepancyRecord> = {}): DiscrepancyRecord => ({
  runId,
  sku,
  supplier,
  supplierSku: `${supplier}-${sku}`,
  ours: 10,
  theirs: 4,
  oursAsOf: at(0),
  ageMs: 60_000,
  detectedAt: at(60),
  corrected: true,
  resolution: 'corrected',
  ...overrides,
});

export function describeDiscrepancyStoreContract(name: string, make: DiscrepancyStoreFactory): void {
  describe(`DiscrepancyStore contract: ${name}`, () => {
    let store: DiscrepancyStore;

    beforeAll(async () => {
      store = await make();
    });

    beforeEach(async () => {
      await store.clear();
    });

    it('saves a run and replaces it as it progresses', async () => {
      await store.saveRun(run('r1', at(0)));
      const finished = run('r1', at(0), {
        status: 'completed',
        finishedAt: at(9),
        suppliers: [{ supplier: 'brightline', checked: 50, discrepancies: 2, corrected: 1, error: null }],
      });
      await store.saveRun(finished);
      expect(await store.getRun('r1')).toEqual(finished);
      expect(await store.getRun('nope')).toBeNull();
    });

    it('lists runs newest first, up to `first`', async () => {
      await store.saveRun(run('old', at(0)));
      await store.saveRun(run('new', at(100)));
      await store.saveRun(run('mid', at(50)));
      expect((await store.listRuns(10)).map((r) => r.id)).toEqual(['new', 'mid', 'old']);
      expect((await store.listRuns(1)).map((r) => r.id)).toEqual(['new']);
      await expectRegistryCode(store.listRuns(0), 'INVALID_INPUT');
    });

    it('pages a run\'s discrepancies by (supplier, sku), with a total, and nothing of other runs', async () => {
      await store.addDiscrepancies([
        discrepancy('r1', 'maplecart', 'DS-2'),
        discrepancy('r1', 'brightline', 'DS-3', { corrected: false, resolution: 'below-threshold', theirs: null }),
        discrepancy('r1', 'brightline', 'DS-1', { ours: null, oursAsOf: null, ageMs: null }),
        discrepancy('r2', 'brightline', 'DS-9'),
      ]);
      const first = await store.listDiscrepancies('r1', 2, null);
      expect(first.items.map((d) => `${d.supplier}/${d.sku}`)).toEqual(['brightline/DS-1', 'brightline/DS-3']);
      expect(first.totalCount).toBe(3);
      expect(first.items[0]).toEqual(discrepancy('r1', 'brightline', 'DS-1', { ours: null, oursAsOf: null, ageMs: null }));
      expect(first.items[1]).toMatchObject({ theirs: null, corrected: false, resolution: 'below-threshold' });
      const second = await store.listDiscrepancies('r1', 2, first.nextCursor);
      expect(second.items.map((d) => `${d.supplier}/${d.sku}`)).toEqual(['maplecart/DS-2']);
      expect(second.nextCursor).toBeNull();
      expect((await store.listDiscrepancies('r3', 10, null)).items).toEqual([]);
    });

    it('ignores a discrepancy already stored for (run, supplier, sku), so a retried batch lists nothing twice', async () => {
      await store.addDiscrepancies([discrepancy('r1', 'brightline', 'DS-1')]);
      await store.addDiscrepancies([discrepancy('r1', 'brightline', 'DS-1', { theirs: 99 }), discrepancy('r1', 'brightline', 'DS-2')]);
      const page = await store.listDiscrepancies('r1', 10, null);
      expect(page.items.map((d) => [d.sku, d.theirs])).toEqual([['DS-1', 4], ['DS-2', 4]]);
    });

    it('refuses a tampered cursor and an out-of-range page size as invalid input', async () => {
      await expectRegistryCode(store.listDiscrepancies('r1', 10, 'not-a-cursor'), 'INVALID_INPUT');
      await expectRegistryCode(store.listDiscrepancies('r1', 501, null), 'INVALID_INPUT');
    });

    it('deletes runs started before a cutoff with their discrepancies', async () => {
      await store.saveRun(run('old', at(0)));
      await store.saveRun(run('new', at(100)));
      await store.addDiscrepancies([discrepancy('old', 'brightline', 'DS-1'), discrepancy('new', 'brightline', 'DS-1')]);
      expect(await store.deleteRunsBefore(at(50))).toBe(1);
      expect(await store.getRun('old')).toBeNull();
      expect((await store.listDiscrepancies('old', 10, null)).totalCount).toBe(0);
      expect((await store.listDiscrepancies('new', 10, null)).totalCount).toBe(1);
    });
  });
}
