import { describe, expect, it } from 'vitest';
import type { CanonicalOrderStatus } from '../../../kernel/model.ts';
import type { OrderRecord, SubOrderRecord } from '../../../platform/ports/order-store.ts';
import { refreshOrder } from './refresh.ts';

const AT = '2026-01-01T00:00:00.000Z';
const USD = (amount: string) => ({ amount, currency: 'USD' });

/** A two-line order carried by one sub-order, as the workflow stores it. */
function order(sub: Partial<SubOrderRecord>): OrderRecord {
  const base: SubOrderRecord = {
    id: 'o1-acme',
    supplier: 'acme',
    idempotencyKey: 'o1-acme',
    lines: [
      { lineNumber: 1, sku: 'DS-A', supplierSku: 'A', quantity: 2, unitCost: USD('3.10') },
      { lineNumber: 2, sku: 'DS-B', supplierSku: 'B', quantity: 4, unitCost: USD('7.00') },
    ],
    state: 'submitted',
    reservationId: 'r1',
    supplierOrderId: 'ACME-1',
    status: 'accepted',
    rawStatus: 'confirmed',
    lineStatus: [],
    attempts: 0,
    lastError: null,
    updatedAt: AT,
  };
  const line = (lineNumber: number, sku: string, supplierSku: string, quantity: number) => ({
    lineNumber,
    sku,
    quantity,
    supplier: null,
    supplierSku: null,
    status: 'submitting' as CanonicalOrderStatus,
    unitCost: null,
    allocations: [{ supplier: 'acme', supplierSku, quantity, unitCost: null, reason: 'only supplier', subOrderId: 'o1-acme' }],
  });
  return {
    id: 'o1',
    tenant: 'default',
    idempotencyKey: 'k',
    status: 'submitting',
    lines: [line(1, 'DS-A', 'A', 2), line(2, 'DS-B', 'B', 4)],
    shipments: [],
    createdAt: AT,
    updatedAt: AT,
    version: 1,
    subOrders: [{ ...base, ...sub }],
  };
}

const view = (o: OrderRecord) => ({ status: o.status, lines: o.lines.map((l) => [l.status, l.shipped, l.backordered]) });

describe('refreshOrder: line status from the supplier call and its per-line figures', () => {
  it('SUBMITTING until the supplier acknowledged; SUBMITTED only after', () => {
    for (const state of ['planned', 'reserved', 'submitting'] as const) {
      expect(view(refreshOrder(order({ state, status: null, supplierOrderId: null }), AT))).toEqual({ status: 'submitting', lines: [['submitting', 0, 0], ['submitting', 0, 0]] });
    }
    expect(refreshOrder(order({ status: 'submitted' }), AT).status).toBe('submitted');
  });

  it('a line the supplier reports fully shipped is SHIPPED while the order is partially shipped; an unflagged line just waits', () => {
    const refreshed = refreshOrder(
      order({
        status: 'partially_shipped',
        lineStatus: [
          { supplierSku: 'A', shipped: 2, backordered: 0, cancelled: 0 },
          { supplierSku: 'B', shipped: 0, backordered: 0, cancelled: 0 },
        ],
      }),
      AT,
    );
    expect(view(refreshed)).toEqual({ status: 'partially_shipped', lines: [['shipped', 2, 0], ['accepted', 0, 0]] });
  });

  it('only lines the supplier flags are backordered, with its figure; a partly shipped line is PARTIALLY_SHIPPED', () => {
    const backordered = refreshOrder(order({ status: 'backordered', lineStatus: [{ supplierSku: 'A', shipped: 0, backordered: 0, cancelled: 0 }, { supplierSku: 'B', shipped: 0, backordered: 3, cancelled: 0 }] }), AT);
    expect(view(backordered)).toEqual({ status: 'backordered', lines: [['accepted', 0, 0], ['backordered', 0, 3]] });
    const partly = refreshOrder(order({ status: 'partially_shipped', lineStatus: [{ supplierSku: 'A', shipped: 0, backordered: 0, cancelled: 0 }, { supplierSku: 'B', shipped: 1, backordered: 3, cancelled: 0 }] }), AT);
    expect(view(partly)).toEqual({ status: 'partially_shipped', lines: [['accepted', 0, 0], ['partially_shipped', 1, 3]] });
  });

  it('without per-line figures the order-level status stands; shipped and delivered count every unit shipped', () => {
    expect(view(refreshOrder(order({ status: 'backordered' }), AT))).toEqual({ status: 'backordered', lines: [['backordered', 0, 0], ['backordered', 0, 0]] });
    expect(view(refreshOrder(order({ status: 'shipped' }), AT))).toEqual({ status: 'shipped', lines: [['shipped', 2, 0], ['shipped', 4, 0]] });
  });

  it('each line shows the unit cost its PO was priced at; the allocation too', () => {
    const refreshed = refreshOrder(order({}), AT);
    expect(refreshed.lines.map((l) => l.unitCost)).toEqual([USD('3.10'), USD('7.00')]);
    expect(refreshed.lines[0]!.allocations![0]!.unitCost).toEqual(USD('3.10'));
  });
});
