/**
 * Supplier order webhooks as triggers: a signal is matched to our sub-order (by the supplier's order id or our key),
 * the status is read back and applied through the status machine, and units leave `committed` as they ship or are
 * cancelled. The whole path with the real sandboxes: test/e2e/orders-tracking.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import type { SupplierOrderStatus } from '../../kernel/model.ts';
import { createMemoryOrderStore } from '../../adapters/storage/memory/order-store.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { OrderRecord, SubOrderRecord } from '../../platform/ports/order-store.ts';
import { matchSignal, trackTriggered } from './supplier-triggers.ts';
import { applySupplierStatus, committedKeep } from './tracking.ts';

const AT = '2026-11-26T10:00:00.000Z';

function sub(id: string, over: Partial<SubOrderRecord> = {}): SubOrderRecord {
  return {
    id,
    supplier: 'brightline',
    idempotencyKey: id,
    lines: [{ lineNumber: 1, sku: 'DS-1', supplierSku: 'BL-1', quantity: 5, unitCost: null }],
    state: 'submitted',
    reservationId: `r-${id}`,
    supplierOrderId: `SO-${id}`,
    status: 'accepted',
    rawStatus: 'OPEN',
    lineStatus: [],
    attempts: 0,
    lastError: null,
    updatedAt: AT,
    ...over,
  };
}

function order(id: string, subs: SubOrderRecord[], tenant = 't1'): OrderRecord {
  return { id, tenant, idempotencyKey: `k-${id}`, status: 'accepted', lines: [], shipments: [], createdAt: AT, updatedAt: AT, version: 1, subOrders: subs, workflow: 'tracking' };
}

const shippedReport = (supplierOrderId: string): SupplierOrderStatus => ({
  supplierOrderId,
  status: 'shipped',
  rawStatus: 'SHIPPED',
  lines: [{ supplierSku: 'BL-1', ordered: 5, shipped: 5, backordered: 0, cancelled: 0 }],
  shipments: [{ carrier: 'UPS', trackingNumber: '1Z999', shippedAt: AT, lines: [{ supplierSku: 'BL-1', quantity: 5 }] }],
  updatedAt: AT,
});

describe('matching an order signal to a sub-order', () => {
  const orders = [
    order('o1', [sub('o1-brightline'), sub('o1-maplecart', { supplier: 'maplecart', supplierOrderId: 'gid://shopify/Order/1' })]),
    order('o2', [sub('o2-brightline', { state: 'failed', supplierOrderId: 'SO-x' }), sub('o2-brightline-2', { supplierOrderId: null, state: 'submitting', status: null })]),
  ];

  it('finds it by the supplier order id, within that supplier only', () => {
    expect(matchSignal(orders, 'brightline', { supplierOrderId: 'SO-o1-brightline', reference: null })?.sub.id).toBe('o1-brightline');
    expect(matchSignal(orders, 'maplecart', { supplierOrderId: 'gid://shopify/Order/1', reference: null })?.sub.id).toBe('o1-maplecart');
    expect(matchSignal(orders, 'maplecart', { supplierOrderId: 'SO-o1-brightline', reference: null })).toBeNull();
  });

  it('falls back to our key (the supplier id may not be stored yet), never to a refused sub-order', () => {
    expect(matchSignal(orders, 'brightline', { supplierOrderId: 'SO-unknown', reference: 'o2-brightline-2' })?.sub.id).toBe('o2-brightline-2');
    expect(matchSignal(orders, 'brightline', { supplierOrderId: 'SO-x', reference: 'o2-brightline' })).toBeNull();
    expect(matchSignal(orders, 'brightline', { supplierOrderId: null, reference: 'nobody' })).toBeNull();
  });
});

describe('tracking triggered by a webhook', () => {
  async function setup(reports: Map<string, SupplierOrderStatus | Error>) {
    const orders = createMemoryOrderStore();
    await orders.insert(order('o1', [sub('o1-brightline')]));
    await orders.insert(order('o2', [sub('o2-brightline', { state: 'submitting', status: null, supplierOrderId: null })]));
    await orders.insert(order('o3', [sub('o3-brightline', { status: 'delivered' })]));
    const reads: string[] = [];
    const connector = {
      supplier: 'brightline',
      async getOrderStatus(ref: { supplierOrderId: string | null; idempotencyKey: string }) {
        reads.push(ref.idempotencyKey);
        const answer = reports.get(ref.idempotencyKey);
        if (answer === undefined || answer instanceof Error) throw answer ?? new Error('unknown');
        return answer;
      },
    } as unknown as SupplierConnector;
    // The order service's applyReport, minus the settlement (tested on its own below).
    const applyReport = async (tenant: string, id: string, subId: string, report: SupplierOrderStatus) => {
      const current = (await orders.get(tenant, id))!;
      const next = applySupplierStatus(current, subId, report, AT);
      if (next === current) return null;
      await orders.save(next);
      return next;
    };
    const deps = { orders, connectors: new Map([['brightline', connector]]), log: silentLogger(), submitTimeoutMs: 1_000 };
    return { orders, reads, run: (signals: Parameters<typeof trackTriggered>[3]) => trackTriggered(deps, applyReport, 'brightline', signals) };
  }

  it('reads the status back once per sub-order however many deliveries name it, and applies it', async () => {
    const { orders, reads, run } = await setup(new Map([['o1-brightline', shippedReport('SO-o1-brightline')]]));
    const signal = { supplierOrderId: 'SO-o1-brightline', reference: 'o1-brightline' };
    expect(await run([signal, signal])).toEqual([{ outcome: 'moved' }, { outcome: 'moved' }]);
    expect(reads).toEqual(['o1-brightline']);
    const stored = (await orders.get('t1', 'o1'))!;
    expect(stored.subOrders![0]).toMatchObject({ status: 'shipped', rawStatus: 'SHIPPED' });
    expect(stored.shipments.map((s) => s.trackingNumber)).toEqual(['1Z999']);
    // A replay reads again and changes nothing.
    expect(await run([signal])).toEqual([{ outcome: 'unchanged' }]);
  });

  it('a read-back older than what we hold (out of order, a lagging replica) moves nothing back', async () => {
    const reports = new Map<string, SupplierOrderStatus | Error>([['o1-brightline', shippedReport('SO-o1-brightline')]]);
    const { orders, run } = await setup(reports);
    const signal = { supplierOrderId: 'SO-o1-brightline', reference: null };
    await run([signal]);
    reports.set('o1-brightline', { ...shippedReport('SO-o1-brightline'), status: 'accepted', rawStatus: 'OPEN', lines: [], shipments: [] });
    expect(await run([signal])).toEqual([{ outcome: 'unchanged' }]);
    const stored = (await orders.get('t1', 'o1'))!;
    expect(stored.subOrders![0]).toMatchObject({ status: 'shipped', rawStatus: 'SHIPPED', lineStatus: [{ supplierSku: 'BL-1', shipped: 5 }] });
    expect(stored.shipments).toHaveLength(1);
  });

  it('tells apart: not ours, still being submitted (retry), already final, and a failed read-back (retry)', async () => {
    const { reads, run } = await setup(new Map([['o1-brightline', new Error('supplier down')]]));
    expect(
      await run([
        { supplierOrderId: 'SO-nobody', reference: 'not-ours' },
        { supplierOrderId: null, reference: 'o2-brightline' },
        { supplierOrderId: 'SO-o3-brightline', reference: null },
        { supplierOrderId: 'SO-o1-brightline', reference: null },
      ]),
    ).toEqual([{ outcome: 'unmatched' }, { outcome: 'not_submitted' }, { outcome: 'unchanged' }, { error: 'supplier down' }]);
    expect(reads).toEqual(['o1-brightline']); // nothing read for the others
  });
});

describe('units that stay committed for a sub-order', () => {
  const two = sub('o1-brightline', {
    lines: [
      { lineNumber: 1, sku: 'DS-1', supplierSku: 'BL-1', quantity: 5, unitCost: null },
      { lineNumber: 2, sku: 'DS-2', supplierSku: 'BL-2', quantity: 3, unitCost: null },
    ],
  });

  it('all of them until something ships or is cancelled', () => {
    expect(committedKeep(two)).toEqual([{ sku: 'DS-1', supplier: 'brightline', quantity: 5 }, { sku: 'DS-2', supplier: 'brightline', quantity: 3 }]);
  });

  it('shipped and cancelled units leave, per line, from the cumulative figures', () => {
    const partly = { ...two, status: 'partially_shipped' as const, lineStatus: [{ supplierSku: 'BL-1', shipped: 2, backordered: 3, cancelled: 0 }, { supplierSku: 'BL-2', shipped: 1, backordered: 0, cancelled: 2 }] };
    expect(committedKeep(partly)).toEqual([{ sku: 'DS-1', supplier: 'brightline', quantity: 3 }, { sku: 'DS-2', supplier: 'brightline', quantity: 0 }]);
    // Figures above the ordered quantity never go below zero.
    const over = { ...partly, lineStatus: [{ supplierSku: 'BL-1', shipped: 9, backordered: 0, cancelled: 0 }] };
    expect(committedKeep(over)[0]!.quantity).toBe(0);
  });

  it('none once shipped, delivered, rejected or cancelled, whatever the line figures say', () => {
    for (const status of ['shipped', 'delivered', 'rejected', 'cancelled'] as const) {
      expect(committedKeep({ ...two, status }).map((k) => k.quantity), status).toEqual([0, 0]);
    }
    expect(committedKeep({ ...two, state: 'cancelled' }).map((k) => k.quantity)).toEqual([0, 0]);
    expect(committedKeep({ ...two, status: 'backordered' }).map((k) => k.quantity)).toEqual([5, 3]);
  });
});
