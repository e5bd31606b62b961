import { describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import type { SupplierStock } from '../../kernel/model.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { ApplyResult, StockRecord, StockReport } from '../../platform/ports/stock-store.ts';
import { createMemoryCache } from '../../adapters/cache/memory-cache.ts';
import { lastKnownOfferKey } from '../offer-cache-key.ts';
import { createOfferRecorder } from './offer-record.ts';
import { createStockRefresher } from './refresh-stock.ts';

const ASOF = '2026-11-26T10:00:00.000Z';
const figure = (supplierSku: string, available: number): SupplierStock => ({ supplierSku, available, status: 'in_stock', cost: null, leadTimeDays: null, asOf: ASOF });
const record = (onHand: number): StockRecord => ({
  sku: 'DS-1', supplier: 'brightline', supplierSku: 'BL-1', onHand, reserved: 0, committed: 0, buffer: 0, available: onHand, supplierAsOf: ASOF, receivedAt: ASOF, version: 1,
});

function setup(stock: SupplierStock[], outcome: (report: StockReport) => ApplyResult = (r) => ({ outcome: 'applied', before: null, after: record(r.onHand) })) {
  const calls: { skus: readonly string[]; lane: string }[] = [];
  const applied: { report: StockReport; source: string }[] = [];
  const connector = {
    supplier: 'brightline',
    maxStockBatch: 2,
    getStock: async (skus: readonly string[], ctx: { lane: string }) => (calls.push({ skus, lane: ctx.lane }), stock.filter((s) => skus.includes(s.supplierSku))),
  } as unknown as SupplierConnector;
  const refresh = createStockRefresher({
    connectors: new Map([['brightline', connector]]),
    updater: { applyReport: async (report, source) => (applied.push({ report, source }), outcome(report)) },
    log: silentLogger(),
  });
  return { refresh, calls, applied };
}

describe('targeted stock refresh (for settling accepted orders)', () => {
  it('reads the SKUs in the sync lane in maxStockBatch batches and applies each figure as a poll', async () => {
    const { refresh, calls, applied } = setup([figure('BL-1', 7), figure('BL-2', 3), figure('BL-3', 0)]);
    expect(await refresh('brightline', [{ sku: 'DS-1', supplierSku: 'BL-1' }, { sku: 'DS-2', supplierSku: 'BL-2' }, { sku: 'DS-3', supplierSku: 'BL-3' }])).toBe(true);
    expect(calls).toEqual([{ skus: ['BL-1', 'BL-2'], lane: 'sync' }, { skus: ['BL-3'], lane: 'sync' }]);
    expect(applied.map((a) => [a.report.sku, a.report.onHand, a.source])).toEqual([['DS-1', 7, 'poll'], ['DS-2', 3, 'poll'], ['DS-3', 0, 'poll']]);
  });

  it('keeps each answer, cost included, as the offer\'s last known value after applying it, as a poll does', async () => {
    const cache = createMemoryCache();
    const order: string[] = [];
    const recorder = createOfferRecorder({ cache, announcing: cache, log: silentLogger() });
    const connector = {
      supplier: 'brightline',
      maxStockBatch: 2,
      getStock: async (skus: readonly string[]) => [{ ...figure('BL-1', 7), cost: { amount: '4.20', currency: 'USD' } }].filter((s) => skus.includes(s.supplierSku)),
    } as unknown as SupplierConnector;
    const refresh = createStockRefresher({
      connectors: new Map([['brightline', connector]]),
      updater: { applyReport: async (report) => (order.push('applied'), { outcome: 'applied', before: null, after: record(report.onHand) }) },
      offers: { record: async (...args) => (order.push('recorded'), recorder.record(...args)) },
      log: silentLogger(),
    });
    const before = Date.now();
    await refresh('brightline', [{ sku: 'DS-1', supplierSku: 'BL-1' }, { sku: 'DS-2', supplierSku: 'BL-2' }]);
    expect(order).toEqual(['applied', 'recorded']);
    const [bl1, bl2] = (await cache.getMany([lastKnownOfferKey('brightline', 'BL-1'), lastKnownOfferKey('brightline', 'BL-2')])).map((v) => JSON.parse(v!));
    expect(bl1).toMatchObject({ found: true, stock: { cost: { amount: '4.20', currency: 'USD' } } });
    expect(bl1.observedAt).toBeGreaterThanOrEqual(before);
    expect(bl2).toMatchObject({ found: false });
  });

  it('is false when the supplier leaves a SKU out, or has no connector', async () => {
    const { refresh } = setup([figure('BL-1', 7)]);
    expect(await refresh('brightline', [{ sku: 'DS-1', supplierSku: 'BL-1' }, { sku: 'DS-2', supplierSku: 'BL-2' }])).toBe(false);
    expect(await refresh('nobody', [{ sku: 'DS-1', supplierSku: 'BL-1' }])).toBe(false);
  });

  it('a figure we hold stamped later counts only when it says the same on-hand', async () => {
    expect(await setup([figure('BL-1', 7)], () => ({ outcome: 'stale', current: record(7) })).refresh('brightline', [{ sku: 'DS-1', supplierSku: 'BL-1' }])).toBe(true);
    expect(await setup([figure('BL-1', 7)], () => ({ outcome: 'stale', current: record(9) })).refresh('brightline', [{ sku: 'DS-1', supplierSku: 'BL-1' }])).toBe(false);
  });

  it('passes supplier errors on (the caller treats them as "not refreshed")', async () => {
    const { refresh } = setup([]);
    const failing = createStockRefresher({
      connectors: new Map([['brightline', { supplier: 'brightline', maxStockBatch: 5, getStock: async () => { throw new Error('down'); } } as unknown as SupplierConnector]]),
      updater: { applyReport: async () => ({ outcome: 'applied', before: null, after: record(1) }) },
      log: silentLogger(),
    });
    await expect(failing('brightline', [{ sku: 'DS-1', supplierSku: 'BL-1' }])).rejects.toThrow('down');
    expect(await refresh('brightline', [])).toBe(true); // nothing asked, nothing to be unsure about
  });
});
