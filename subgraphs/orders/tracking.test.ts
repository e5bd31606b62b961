/**
 * Committed units of a supplier that allocates stock on accept: they leave `committed` once the order is accepted
 * (or later), except what the supplier backordered — but only after a stock figure read after the acceptance has
 * been stored. Without it (no refresh, a failed one, a SKU the read left out) only the shipment rule applies.
 * The whole path with the real sandboxes: test/e2e/orders-tracking.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger.ts';
import type { OrderRecord, SubOrderRecord } from '../../platform/ports/order-store.ts';
import type { ReservationItem } from '../../platform/ports/reservation-store.ts';
import type { ReservationService } from '../inventory/reservations.ts';
import { allocatedAtSupplier, committedKeep, settleCommittedUnits } from './tracking.ts';

const AT = '2026-11-26T10:00:00.000Z';

const two: SubOrderRecord = {
  id: 'o1-brightline',
  supplier: 'brightline',
  idempotencyKey: 'o1-brightline',
  lines: [
    { lineNumber: 1, sku: 'DS-1', supplierSku: 'BL-1', quantity: 5, unitCost: null },
    { lineNumber: 2, sku: 'DS-2', supplierSku: 'BL-2', quantity: 3, unitCost: null },
  ],
  state: 'submitted',
  reservationId: 'r-1',
  supplierOrderId: 'SO-1',
  status: 'accepted',
  rawStatus: 'OPEN',
  lineStatus: [
    { supplierSku: 'BL-1', shipped: 0, backordered: 0, cancelled: 0 },
    { supplierSku: 'BL-2', shipped: 0, backordered: 0, cancelled: 0 },
  ],
  attempts: 0,
  lastError: null,
  updatedAt: AT,
};

const order = (sub: SubOrderRecord): OrderRecord => ({
  id: 'o1', tenant: 't1', idempotencyKey: 'k-o1', status: 'accepted', lines: [], shipments: [], createdAt: AT, updatedAt: AT, version: 1, subOrders: [sub], workflow: 'tracking',
});

const quantities = (keep: readonly ReservationItem[]) => keep.map((k) => k.quantity);

describe('committedKeep once the supplier allocated and a fresh stock figure is stored', () => {
  it('keeps nothing of an accepted order with nothing backordered (the supplier on-hand already counts it out)', () => {
    expect(quantities(committedKeep(two, true))).toEqual([0, 0]);
    expect(quantities(committedKeep(two))).toEqual([5, 3]); // without the fresh figure: all of it, as before
  });

  it('keeps the backordered units, never more than what is still open', () => {
    const back = { ...two, status: 'backordered' as const, lineStatus: [{ supplierSku: 'BL-1', shipped: 0, backordered: 2, cancelled: 0 }, { supplierSku: 'BL-2', shipped: 0, backordered: 0, cancelled: 0 }] };
    expect(quantities(committedKeep(back, true))).toEqual([2, 0]);
    const partly = { ...two, status: 'partially_shipped' as const, lineStatus: [{ supplierSku: 'BL-1', shipped: 4, backordered: 3, cancelled: 0 }, { supplierSku: 'BL-2', shipped: 1, backordered: 2, cancelled: 0 }] };
    expect(quantities(committedKeep(partly, true))).toEqual([1, 2]);
  });

  it('keeps a whole line the supplier reported no figures for (unknown is kept)', () => {
    const oneReported = { ...two, lineStatus: [{ supplierSku: 'BL-1', shipped: 0, backordered: 0, cancelled: 0 }] };
    expect(quantities(committedKeep(oneReported, true))).toEqual([0, 3]);
  });

  it('two lines sharing a supplier SKU take its backordered figure in line order', () => {
    const shared = {
      ...two,
      lines: [
        { lineNumber: 1, sku: 'DS-1', supplierSku: 'BL-1', quantity: 5, unitCost: null },
        { lineNumber: 2, sku: 'DS-9', supplierSku: 'BL-1', quantity: 3, unitCost: null },
      ],
      lineStatus: [{ supplierSku: 'BL-1', shipped: 0, backordered: 6, cancelled: 0 }],
    };
    expect(quantities(committedKeep(shared, true))).toEqual([5, 1]);
  });

  it('only statuses reached after the allocation count as allocated', () => {
    for (const status of ['accepted', 'on_hold', 'backordered', 'cancel_requested', 'partially_shipped'] as const) expect(allocatedAtSupplier({ ...two, status }), status).toBe(true);
    for (const status of ['submitted', 'shipped', 'delivered', 'rejected', 'cancelled'] as const) expect(allocatedAtSupplier({ ...two, status }), status).toBe(false);
    expect(allocatedAtSupplier({ ...two, state: 'cancelled' })).toBe(false);
  });
});

describe('settleCommittedUnits for a supplier that allocates on accept', () => {
  function setup(refresh?: (supplier: string, items: readonly { sku: string; supplierSku: string }[]) => Promise<boolean>) {
    const settled: { id: string; keep: readonly ReservationItem[] | undefined }[] = [];
    const refreshed: string[][] = [];
    const reservations = {
      settleCommitted: async (id: string, _caller: unknown, keep?: readonly ReservationItem[]) => {
        settled.push({ id, keep });
        return {} as never;
      },
    } as unknown as ReservationService;
    const deps = {
      reservations,
      log: silentLogger(),
      ...(refresh ? { refreshStock: async (supplier: string, items: readonly { sku: string; supplierSku: string }[]) => (refreshed.push(items.map((i) => `${supplier}:${i.sku}:${i.supplierSku}`)), refresh(supplier, items)) } : {}),
    };
    return { deps, settled, refreshed };
  }

  it('refreshes the sub-order SKUs first, then settles down to the backordered units', async () => {
    const { deps, settled, refreshed } = setup(async () => true);
    const back = { ...two, status: 'backordered' as const, lineStatus: [{ supplierSku: 'BL-1', shipped: 0, backordered: 2, cancelled: 0 }, { supplierSku: 'BL-2', shipped: 0, backordered: 0, cancelled: 0 }] };
    await settleCommittedUnits(deps, order(back), back.id, true);
    expect(refreshed).toEqual([['brightline:DS-1:BL-1', 'brightline:DS-2:BL-2']]);
    expect(settled).toEqual([{ id: 'r-1', keep: [{ sku: 'DS-1', supplier: 'brightline', quantity: 2 }, { sku: 'DS-2', supplier: 'brightline', quantity: 0 }] }]);
  });

  it('does not settle early when the refresh fails, throws or is not wired', async () => {
    for (const refresh of [async () => false, async () => { throw new Error('supplier down'); }, undefined]) {
      const { deps, settled } = setup(refresh);
      await settleCommittedUnits(deps, order(two), two.id, true);
      expect(settled).toEqual([]);
    }
  });

  it('a failed refresh still lets the shipment rule settle what shipped', async () => {
    const { deps, settled } = setup(async () => false);
    const partly = { ...two, status: 'partially_shipped' as const, lineStatus: [{ supplierSku: 'BL-1', shipped: 2, backordered: 0, cancelled: 0 }, { supplierSku: 'BL-2', shipped: 0, backordered: 0, cancelled: 0 }] };
    await settleCommittedUnits(deps, order(partly), partly.id, true);
    expect(settled).toEqual([{ id: 'r-1', keep: [{ sku: 'DS-1', supplier: 'brightline', quantity: 3 }, { sku: 'DS-2', supplier: 'brightline', quantity: 3 }] }]);
  });

  it('reads nothing for a supplier that does not allocate on accept, or before acceptance', async () => {
    const { deps, settled, refreshed } = setup(async () => true);
    await settleCommittedUnits(deps, order(two), two.id, false);
    await settleCommittedUnits(deps, order({ ...two, status: 'submitted' }), two.id, true);
    expect(refreshed).toEqual([]);
    expect(settled).toEqual([]);
  });

  it('reads nothing when the allocation would clear no more than the shipment rule (all shipped)', async () => {
    const { deps, settled, refreshed } = setup(async () => true);
    await settleCommittedUnits(deps, order({ ...two, status: 'shipped' }), two.id, true);
    expect(refreshed).toEqual([]);
    expect(quantities(settled[0]!.keep!)).toEqual([0, 0]);
  });
});
