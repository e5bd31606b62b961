import { describe, expect, it } from 'vitest';
import type { StockRecord } from '../../platform/ports/stock-store.ts';
import { correctionAsOf, pastThreshold } from './reconcile.ts';

const ours = (supplierAsOf: string): StockRecord => ({
  sku: 'DS-1', supplier: 'brightline', supplierSku: 'BL-1', onHand: 10, reserved: 0, committed: 0, buffer: 0, available: 10,
  supplierAsOf, receivedAt: supplierAsOf, version: 3,
});

describe('reconciliation thresholds', () => {
  const t = { units: 3, ratio: 0.1 };

  it('corrects differences of at least `units`, whatever the size of the figures', () => {
    expect(pastThreshold(200, 203, t)).toBe(true);
    expect(pastThreshold(203, 200, t)).toBe(true);
  });

  it('corrects small absolute differences that are large relative to the stock (1 of 2 units)', () => {
    expect(pastThreshold(2, 1, t)).toBe(true);
    expect(pastThreshold(0, 1, t)).toBe(true);
  });

  it('leaves small differences on large figures to the next webhook or poll', () => {
    expect(pastThreshold(200, 202, t)).toBe(false);
    expect(pastThreshold(200, 202, { units: 3, ratio: 0 })).toBe(false);
  });

  it('always corrects when one side has no figure', () => {
    expect(pastThreshold(null, 0, { units: 1_000, ratio: 0 })).toBe(true);
    expect(pastThreshold(5, null, { units: 1_000, ratio: 0 })).toBe(true);
  });
});

describe('correctionAsOf: overriding "newer wins" without blocking later updates', () => {
  it("keeps the supplier's own timestamp when it is newer than ours", () => {
    expect(correctionAsOf('2026-01-01T00:10:00.000Z', ours('2026-01-01T00:00:00.000Z'), '2026-01-01T00:20:00.000Z')).toBe('2026-01-01T00:10:00.000Z');
  });

  it('stamps a correction 1 ms after our figure when the supplier timestamp is not newer (silent drift, clock skew)', () => {
    expect(correctionAsOf('2025-12-31T23:00:00.000Z', ours('2026-01-01T00:00:00.000Z'), '2026-01-01T00:20:00.000Z')).toBe('2026-01-01T00:00:00.001Z');
    expect(correctionAsOf('2026-01-01T00:00:00.000Z', ours('2026-01-01T00:00:00.000Z'), '2026-01-01T00:20:00.000Z')).toBe('2026-01-01T00:00:00.001Z');
  });

  it('uses the read time when the supplier gives no timestamp (an unlisted SKU), and any time when we hold no row', () => {
    expect(correctionAsOf(null, ours('2026-01-01T00:00:00.000Z'), '2026-01-01T00:20:00.000Z')).toBe('2026-01-01T00:20:00.000Z');
    expect(correctionAsOf('2025-06-01T00:00:00.000Z', null, '2026-01-01T00:20:00.000Z')).toBe('2025-06-01T00:00:00.000Z');
  });
});
