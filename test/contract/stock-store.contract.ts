/**
 * One contract for every StockStore. The concurrency cases fire parallel reports at one (sku, supplier): they fail
 * when a write is not conditional on what was read (lost update, two writers claiming one version, an older report
 * overwriting a newer one).
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApplyResult, MutateResult, StockChange, StockReport, StockState, StockStore } from '../../platform/ports/stock-store.ts';
import { expectRegistryCode } from './registry-error-assert.ts';

export type StockStoreFactory = () => Promise<StockStore>;

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

function report(overrides: Partial<StockReport> = {}): StockReport {
  return { sku: 'SKU-1', supplier: 'rest', supplierSku: 'R-1', onHand: 10, supplierAsOf: at(0), ...overrides };
}

/** Fisher–Yates with a fixed seed, so a failing order can be replayed. */
function shuffled<T>(items: readonly T[], seed = 42): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Takes `units` under `ref` when available (onHand − reserved − committed − buffer) allows it, the way holds do. */
const hold = (ref: string, units: number) => (s: StockState): StockChange => {
  if (s.holds.some((h) => h.ref === ref)) return { set: {} };
  if (s.record.available < units) return { reject: 'out_of_stock', details: { available: s.record.available } };
  return { set: { reserved: s.record.reserved + units, holds: [...s.holds, { ref, units, state: 'reserved' }] } };
};

export function describeStockStoreContract(name: string, make: StockStoreFactory): void {
  describe(`StockStore contract: ${name}`, () => {
    let store: StockStore;

    beforeAll(async () => {
      store = await make();
    });

    beforeEach(async () => {
      await store.clear();
    });

    it('creates a row from the first report, with the default buffer and computed availability', async () => {
      const result = await store.applyReport(report({ onHand: 10 }), 3);
      expect(result.outcome).toBe('applied');
      if (result.outcome !== 'applied') return;
      expect(result.before).toBeNull();
      expect(result.after).toMatchObject({
        sku: 'SKU-1', supplier: 'rest', supplierSku: 'R-1', onHand: 10, reserved: 0, committed: 0, buffer: 3, available: 7,
        supplierAsOf: at(0), version: 1,
      });
      expect(Number.isNaN(Date.parse(result.after.receivedAt))).toBe(false);
      expect(await store.get('SKU-1', 'rest')).toEqual(result.after);
    });

    it('applies a newer report, keeps the row buffer and bumps the version', async () => {
      await store.applyReport(report({ onHand: 10 }), 3);
      const result = await store.applyReport(report({ onHand: 2, supplierAsOf: at(60), supplierSku: 'R-1b' }), 0);
      expect(result.outcome).toBe('applied');
      if (result.outcome !== 'applied') return;
      expect(result.before?.version).toBe(1);
      // available = max(0, 2 - 0 - 0 - 3): never negative.
      expect(result.after).toMatchObject({ onHand: 2, buffer: 3, available: 0, version: 2, supplierSku: 'R-1b', supplierAsOf: at(60) });
    });

    it('ignores older and equal-time reports and says what is current', async () => {
      await store.applyReport(report({ onHand: 5, supplierAsOf: at(100) }), 0);
      for (const when of [at(99), at(100)]) {
        const result: ApplyResult = await store.applyReport(report({ onHand: 50, supplierAsOf: when }), 0);
        expect(result.outcome).toBe('stale');
        if (result.outcome === 'stale') expect(result.current).toMatchObject({ onHand: 5, version: 1 });
      }
      expect((await store.get('SKU-1', 'rest'))?.onHand).toBe(5);
    });

    it('compares supplier timestamps as instants, not as strings', async () => {
      // 12:00+02:00 is 10:00Z; as strings it sorts after 10:30Z, in time it is before.
      await store.applyReport(report({ onHand: 1, supplierAsOf: '2026-05-01T10:30:00Z' }), 0);
      const older = await store.applyReport(report({ onHand: 2, supplierAsOf: '2026-05-01T12:00:00+02:00' }), 0);
      expect(older.outcome).toBe('stale');
      const newer = await store.applyReport(report({ onHand: 3, supplierAsOf: '2026-05-01T12:45:00+02:00' }), 0);
      expect(newer.outcome).toBe('applied');
      expect((await store.get('SKU-1', 'rest'))?.supplierAsOf).toBe('2026-05-01T10:45:00.000Z');
    });

    it('groups rows per SKU in the order asked, suppliers sorted', async () => {
      await store.applyReport(report({ sku: 'A', supplier: 'soap' }), 0);
      await store.applyReport(report({ sku: 'A', supplier: 'graphql' }), 0);
      await store.applyReport(report({ sku: 'B', supplier: 'rest' }), 0);
      const groups = await store.getBySkus(['B', 'NONE', 'A']);
      expect(groups.map((g) => g.map((r) => `${r.sku}/${r.supplier}`))).toEqual([['B/rest'], [], ['A/graphql', 'A/soap']]);
      expect(await store.get('A', 'rest')).toBeNull();
    });

    it('refuses malformed reports', async () => {
      await expectRegistryCode(() => store.applyReport(report({ onHand: -1 }), 0), 'INVALID_INPUT');
      await expectRegistryCode(() => store.applyReport(report({ onHand: 1.5 }), 0), 'INVALID_INPUT');
      await expectRegistryCode(() => store.applyReport(report({ supplierAsOf: 'yesterday' }), 0), 'INVALID_INPUT');
      await expectRegistryCode(() => store.applyReport(report(), -1), 'INVALID_INPUT');
      expect(await store.get('SKU-1', 'rest')).toBeNull();
    });

    it('clears', async () => {
      await store.applyReport(report(), 0);
      await store.clear();
      expect(await store.getBySkus(['SKU-1'])).toEqual([[]]);
      expect((await store.applyReport(report(), 0)).outcome).toBe('applied');
    });

    it('mutate: changes reserved, recomputes available, bumps the version and keeps the supplier figures', async () => {
      const first = await store.applyReport(report({ onHand: 10 }), 2);
      const receivedAt = first.outcome === 'applied' ? first.after.receivedAt : '';
      const result = await store.mutate('SKU-1', 'rest', hold('r1', 3));
      expect(result).toMatchObject({ outcome: 'applied', before: { version: 1, reserved: 0, available: 8 } });
      if (result.outcome !== 'applied') return;
      expect(result.after).toMatchObject({ onHand: 10, reserved: 3, committed: 0, buffer: 2, available: 5, version: 2, supplierAsOf: at(0), receivedAt });
      expect(await store.get('SKU-1', 'rest')).toEqual(result.after);
      expect(await store.getState('SKU-1', 'rest')).toEqual({ record: result.after, holds: [{ ref: 'r1', units: 3, state: 'reserved' }], closed: [] });
      const set = await store.mutate('SKU-1', 'rest', (s) => ({ set: { committed: 4, buffer: 0, reserved: s.record.reserved - 3 } }));
      expect(set).toMatchObject({ outcome: 'applied', after: { reserved: 0, committed: 4, buffer: 0, available: 6, version: 3 } });
    });

    it('mutate: a rejection or a change that sets nothing new writes no version', async () => {
      await store.applyReport(report({ onHand: 2 }), 0);
      const rejected: MutateResult = await store.mutate('SKU-1', 'rest', hold('r1', 5));
      expect(rejected).toMatchObject({ outcome: 'rejected', reason: 'out_of_stock', details: { available: 2 }, current: { version: 1 } });
      await store.mutate('SKU-1', 'rest', hold('r1', 2));
      const again = await store.mutate('SKU-1', 'rest', hold('r1', 2));
      expect(again).toMatchObject({ outcome: 'unchanged', current: { reserved: 2, version: 2 } });
      expect(await store.mutate('SKU-1', 'rest', (s) => ({ set: { reserved: s.record.reserved } }))).toMatchObject({ outcome: 'unchanged' });
      expect((await store.get('SKU-1', 'rest'))?.version).toBe(2);
    });

    it('mutate: says when there is no row, and refuses invalid fields', async () => {
      expect(await store.mutate('SKU-1', 'rest', () => ({ set: { reserved: 1 } }))).toEqual({ outcome: 'missing' });
      expect(await store.getState('SKU-1', 'rest')).toBeNull();
      await store.applyReport(report(), 0);
      await expectRegistryCode(() => store.mutate('SKU-1', 'rest', () => ({ set: { reserved: -1 } })), 'INVALID_INPUT');
      await expectRegistryCode(() => store.mutate('SKU-1', 'rest', () => ({ set: { buffer: 0.5 } })), 'INVALID_INPUT');
      await expectRegistryCode(
        () => store.mutate('SKU-1', 'rest', () => ({ set: { holds: [{ ref: 'a', units: 1, state: 'reserved' }, { ref: 'a', units: 2, state: 'reserved' }] } })),
        'INVALID_INPUT',
      );
      await expectRegistryCode(() => store.mutate('SKU-1', 'rest', () => ({ set: { closed: [{ ref: 'a', until: 'soon' }] } })), 'INVALID_INPUT');
      expect((await store.get('SKU-1', 'rest'))?.version).toBe(1);
    });

    it('a supplier report after a mutation keeps reserved, committed and the hold ledger', async () => {
      await store.applyReport(report({ onHand: 10 }), 1);
      await store.mutate('SKU-1', 'rest', hold('r1', 4));
      const result = await store.applyReport(report({ onHand: 6, supplierAsOf: at(10) }), 0);
      expect(result).toMatchObject({ outcome: 'applied', after: { onHand: 6, reserved: 4, buffer: 1, available: 1, version: 3 } });
      expect((await store.getState('SKU-1', 'rest'))?.holds).toEqual([{ ref: 'r1', units: 4, state: 'reserved' }]);
    });

    it('drops closed refs once their time has passed, but never writes for that alone', async () => {
      await store.applyReport(report(), 0);
      const past = new Date(Date.now() - 60_000).toISOString();
      const future = new Date(Date.now() + 60_000).toISOString();
      await store.mutate('SKU-1', 'rest', () => ({ set: { closed: [{ ref: 'old', until: past }, { ref: 'new', until: future }] } }));
      expect((await store.getState('SKU-1', 'rest'))?.closed).toEqual([{ ref: 'new', until: future }]);
      expect(await store.mutate('SKU-1', 'rest', () => ({ set: {} }))).toMatchObject({ outcome: 'unchanged' });
    });

    it('concurrency: 50 simultaneous increments of reserved lose none, each on its own version', async () => {
      await store.applyReport(report({ onHand: 100 }), 0);
      const results = await Promise.all(
        Array.from({ length: 50 }, () => store.mutate('SKU-1', 'rest', (s) => ({ set: { reserved: s.record.reserved + 1 } }))),
      );
      expect(results.every((r) => r.outcome === 'applied')).toBe(true);
      const versions = results.map((r) => (r.outcome === 'applied' ? r.after.version : 0)).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
      expect(await store.get('SKU-1', 'rest')).toMatchObject({ reserved: 50, available: 50, version: 51 });
    });

    it('concurrency: 40 simultaneous holds of one unit with 15 available: exactly 15 taken, ledger and counter agree', async () => {
      await store.applyReport(report({ onHand: 18 }), 3);
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => store.mutate('SKU-1', 'rest', hold(`r${i}`, 1))));
      expect(results.filter((r) => r.outcome === 'applied')).toHaveLength(15);
      expect(results.filter((r) => r.outcome === 'rejected')).toHaveLength(25);
      const state = await store.getState('SKU-1', 'rest');
      expect(state?.record).toMatchObject({ reserved: 15, available: 0, buffer: 3 });
      expect(state?.holds).toHaveLength(15);
    });

    it('concurrency: supplier reports racing mutations keep both the newest report and every mutation', async () => {
      await store.applyReport(report({ onHand: 50, supplierAsOf: at(0) }), 0);
      const reports: Promise<ApplyResult>[] = [];
      const holds: Promise<MutateResult>[] = [];
      for (let i = 1; i <= 20; i += 1) {
        reports.push(store.applyReport(report({ onHand: 50 + i, supplierAsOf: at(i) }), 0));
        holds.push(store.mutate('SKU-1', 'rest', hold(`r${i}`, 1)));
      }
      const applied = (await Promise.all(reports)).filter((r) => r.outcome === 'applied').length;
      expect((await Promise.all(holds)).every((r) => r.outcome === 'applied')).toBe(true);
      expect(await store.get('SKU-1', 'rest')).toMatchObject({
        onHand: 70, supplierAsOf: at(20), reserved: 20, available: 50, version: 1 + applied + 20,
      });
    });

    it('concurrency: 50 simultaneous reports with different timestamps leave the newest, with no version claimed twice', async () => {
      const seconds = shuffled(Array.from({ length: 50 }, (_, i) => i + 1));
      const results = await Promise.all(seconds.map((s) => store.applyReport(report({ onHand: s, supplierAsOf: at(s) }), 0)));
      const applied = results.filter((r): r is Extract<ApplyResult, { outcome: 'applied' }> => r.outcome === 'applied');
      const final = await store.get('SKU-1', 'rest');
      expect(final).toMatchObject({ onHand: 50, supplierAsOf: at(50) });
      // Each accepted write moved the row one version on from the one it read: versions 1..n, each once.
      const versions = applied.map((r) => r.after.version).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: applied.length }, (_, i) => i + 1));
      expect(final?.version).toBe(applied.length);
      for (const r of applied) expect(r.after.version).toBe((r.before?.version ?? 0) + 1);
      // Accepted reports got strictly newer in version order: an older one never landed after a newer one.
      const byVersion = [...applied].sort((a, b) => a.after.version - b.after.version);
      for (let i = 1; i < byVersion.length; i += 1) {
        expect(byVersion[i]!.after.supplierAsOf > byVersion[i - 1]!.after.supplierAsOf).toBe(true);
      }
    });

    it('concurrency: simultaneous first reports for one row create it once', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, () => store.applyReport(report({ supplierAsOf: at(5) }), 0)));
      expect(results.filter((r) => r.outcome === 'applied')).toHaveLength(1);
      expect(await store.getBySkus(['SKU-1'])).toHaveLength(1);
      expect((await store.getBySkus(['SKU-1']))[0]).toHaveLength(1);
    });

    it('concurrency: simultaneous reports for different suppliers of one SKU keep every row', async () => {
      const suppliers = Array.from({ length: 15 }, (_, i) => `s${String(i).padStart(2, '0')}`);
      await Promise.all(suppliers.map((supplier, i) => store.applyReport(report({ supplier, onHand: i }), 0)));
      const [rows] = await store.getBySkus(['SKU-1']);
      expect(rows?.map((r) => [r.supplier, r.onHand])).toEqual(suppliers.map((s, i) => [s, i]));
    });
  });
}
