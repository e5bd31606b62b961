/** One contract for every OrderStore: tenancy, idempotency keys (also under concurrent double submits), paging. */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OrderRecord, OrderStore, SubOrderRecord } from '../../platform/ports/order-store.ts';
import { expectRegistryCode } from './registry-error-assert.ts';

export type OrderStoreFactory = () => Promise<OrderStore>;

export function sampleOrderRecord(overrides: Partial<OrderRecord> = {}): OrderRecord {
  const id = overrides.id ?? 'ord-1';
  return {
    id,
    tenant: 'tenant-a',
    idempotencyKey: `key-${id}`,
    status: 'submitted',
    lines: [
      { lineNumber: 1, sku: 'SKU-1', quantity: 2, supplier: 'rest', supplierSku: 'R-1', status: 'submitted', unitCost: { amount: '12.50', currency: 'USD' } },
      { lineNumber: 2, sku: 'SKU-2', quantity: 1, supplier: null, supplierSku: null, status: 'on_hold', unitCost: null },
    ],
    shipments: [
      { supplier: 'rest', carrier: 'UPS', trackingNumber: '1Z999', shippedAt: '2026-01-02T00:00:00.000Z', lines: [{ lineNumber: 1, quantity: 1 }] },
    ],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

export function describeOrderStoreContract(name: string, make: OrderStoreFactory): void {
  describe(`OrderStore contract: ${name}`, () => {
    let store: OrderStore;

    beforeAll(async () => {
      store = await make();
    });

    beforeEach(async () => {
      await store.clear();
    });

    it('stores an order and reads it back unchanged, only for its tenant', async () => {
      const order = sampleOrderRecord();
      expect(await store.insert(order)).toEqual({ inserted: true });
      expect(await store.get('tenant-a', 'ord-1')).toEqual(order);
      expect(await store.get('tenant-b', 'ord-1')).toBeNull();
      expect(await store.get('tenant-a', 'ord-2')).toBeNull();
    });

    it('returns the existing order for a repeated idempotency key', async () => {
      const first = sampleOrderRecord({ id: 'ord-1', idempotencyKey: 'k' });
      await store.insert(first);
      const again = await store.insert(sampleOrderRecord({ id: 'ord-2', idempotencyKey: 'k', status: 'accepted' }));
      expect(again).toEqual({ inserted: false, existing: first });
      expect(await store.getByIdempotencyKey('tenant-a', 'k')).toEqual(first);
      expect(await store.getByIdempotencyKey('tenant-b', 'k')).toBeNull();
      expect(await store.get('tenant-a', 'ord-2')).toBeNull();
    });

    it('scopes idempotency keys and ids per tenant', async () => {
      await store.insert(sampleOrderRecord({ tenant: 'tenant-a', idempotencyKey: 'k' }));
      expect(await store.insert(sampleOrderRecord({ tenant: 'tenant-b', idempotencyKey: 'k' }))).toEqual({ inserted: true });
    });

    it('refuses a reused order id under another idempotency key', async () => {
      await store.insert(sampleOrderRecord({ id: 'ord-1', idempotencyKey: 'k1' }));
      await expectRegistryCode(store.insert(sampleOrderRecord({ id: 'ord-1', idempotencyKey: 'k2' })), 'INVALID_INPUT');
    });

    it('lists newest first, ties broken by id, across pages', async () => {
      const created = ['2026-01-01T00:00:01Z', '2026-01-01T00:00:03Z', '2026-01-01T00:00:02Z', '2026-01-01T00:00:02Z', '2026-01-01T00:00:02Z'];
      for (const [i, createdAt] of created.entries()) await store.insert(sampleOrderRecord({ id: `o${i}`, createdAt }));
      await store.insert(sampleOrderRecord({ id: 'other', tenant: 'tenant-b' }));
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page = await store.list({ tenant: 'tenant-a' }, 2, after);
        seen.push(...page.items.map((o) => o.id));
        after = page.nextCursor;
        pages += 1;
      } while (after !== null && pages < 10);
      expect(seen).toEqual(['o1', 'o4', 'o3', 'o2', 'o0']);
      expect(pages).toBe(3);
    });

    it('filters by status and by exclusive creation bounds compared as instants', async () => {
      await store.insert(sampleOrderRecord({ id: 'a', createdAt: '2026-03-01T10:00:00Z', status: 'shipped' }));
      await store.insert(sampleOrderRecord({ id: 'b', createdAt: '2026-03-01T11:00:00Z' }));
      await store.insert(sampleOrderRecord({ id: 'c', createdAt: '2026-03-01T12:00:00Z' }));
      const ids = async (filter: Parameters<OrderStore['list']>[0]) => (await store.list(filter, 10, null)).items.map((o) => o.id);
      expect(await ids({ tenant: 'tenant-a', status: 'shipped' })).toEqual(['a']);
      expect(await ids({ tenant: 'tenant-a', createdAfter: '2026-03-01T10:00:00Z' })).toEqual(['c', 'b']);
      expect(await ids({ tenant: 'tenant-a', createdBefore: '2026-03-01T12:30:00+02:00' })).toEqual(['a']);
      expect(await ids({ tenant: 'tenant-a', status: 'submitted', createdAfter: '2026-03-01T10:30:00Z', createdBefore: '2026-03-01T11:30:00Z' })).toEqual(['b']);
      expect(await ids({ tenant: 'nobody' })).toEqual([]);
    });

    it('bounds page sizes and refuses bad cursors', async () => {
      await expectRegistryCode(() => store.list({ tenant: 'tenant-a' }, 0, null), 'INVALID_INPUT');
      await expectRegistryCode(() => store.list({ tenant: 'tenant-a' }, 201, null), 'INVALID_INPUT');
      await expectRegistryCode(() => store.list({ tenant: 'tenant-a' }, 10, 'garbage'), 'INVALID_INPUT');
      expect((await store.list({ tenant: 'tenant-a' }, 200, null)).items).toEqual([]);
    });

    it('hands out copies', async () => {
      await store.insert(sampleOrderRecord());
      const read = await store.get('tenant-a', 'ord-1');
      (read!.lines[0] as { quantity: number }).quantity = 99;
      expect((await store.get('tenant-a', 'ord-1'))?.lines[0]?.quantity).toBe(2);
    });

    it('saves a changed order in place and lists orders by workflow state, oldest first', async () => {
      await store.insert(sampleOrderRecord({ id: 'w2', createdAt: '2026-01-02T00:00:00Z', workflow: 'placing' }));
      await store.insert(sampleOrderRecord({ id: 'w1', createdAt: '2026-01-01T00:00:00Z', workflow: 'placing', tenant: 'tenant-b' }));
      await store.insert(sampleOrderRecord({ id: 'w3', workflow: 'closed' }));
      const changed = { ...sampleOrderRecord({ id: 'w2', createdAt: '2026-01-02T00:00:00Z' }), workflow: 'tracking' as const, status: 'accepted' as const };
      await store.save(changed);
      expect(await store.get('tenant-a', 'w2')).toEqual(changed);
      expect((await store.listByWorkflow('placing', 10)).items.map((o) => o.id)).toEqual(['w1']);
      expect((await store.listByWorkflow('tracking', 10)).items.map((o) => o.id)).toEqual(['w2']);
      await expectRegistryCode(() => store.save(sampleOrderRecord({ id: 'never-inserted' })), 'NOT_FOUND');
    });

    it('walks every order in a workflow state with keyset pages, across tenants, beyond any first page', async () => {
      // Regression (issue 12, point 7): the tracking loop read only the 100 oldest open orders; order 101+ was never tracked.
      const instants = ['2026-02-01T00:00:00Z', '2026-02-01T00:00:01Z', '2026-02-01T00:00:01Z'];
      const expected: string[] = [];
      for (let i = 0; i < 23; i++) {
        // Same instant and same id under two tenants: the key (createdAt, tenant, id) still orders them.
        const createdAt = instants[i % 3]!;
        const tenant = i % 2 === 0 ? 'tenant-a' : 'tenant-b';
        await store.insert(sampleOrderRecord({ id: `t${Math.floor(i / 2)}`, idempotencyKey: `k${i}`, tenant, createdAt, workflow: 'tracking' }));
        expected.push(`${tenant}/t${Math.floor(i / 2)}`);
      }
      await store.insert(sampleOrderRecord({ id: 'closed-1', workflow: 'closed' }));
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page = await store.listByWorkflow('tracking', 5, after);
        expect(page.items.length).toBeLessThanOrEqual(5);
        seen.push(...page.items.map((o) => `${o.tenant}/${o.id}`));
        after = page.nextCursor;
        pages += 1;
      } while (after !== null && pages < 20);
      expect(pages).toBe(5);
      expect([...seen].sort()).toEqual([...expected].sort());
      expect(new Set(seen).size).toBe(23);
      // Oldest first.
      const created = await Promise.all(seen.map((s) => store.get(s.split('/')[0]!, s.split('/')[1]!)));
      const times = created.map((o) => Date.parse(o!.createdAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('keeps its place while orders leave and join the state between pages', async () => {
      for (let i = 0; i < 6; i++) await store.insert(sampleOrderRecord({ id: `m${i}`, createdAt: `2026-02-01T00:00:0${i}Z`, workflow: 'tracking' }));
      const first = await store.listByWorkflow('tracking', 3, null);
      expect(first.items.map((o) => o.id)).toEqual(['m0', 'm1', 'm2']);
      // m1 closes, m4 closes, a newer order joins: the next page neither repeats nor skips an order still open.
      for (const id of ['m1', 'm4']) await store.save({ ...(await store.get('tenant-a', id))!, workflow: 'closed' });
      await store.insert(sampleOrderRecord({ id: 'm9', createdAt: '2026-02-01T00:00:09Z', workflow: 'tracking' }));
      const second = await store.listByWorkflow('tracking', 3, first.nextCursor);
      expect(second.items.map((o) => o.id)).toEqual(['m3', 'm5', 'm9']);
      expect(second.nextCursor).toBeNull();
    });

    it('lists the orders that need a person, most recently changed first, across tenants or of one', async () => {
      const pending = (state: SubOrderRecord['state'], lastError: string | null): SubOrderRecord => ({
        id: `s-${state}-${lastError === null ? 'ok' : 'err'}`,
        supplier: 'rest',
        idempotencyKey: 'k',
        lines: [],
        state,
        reservationId: null,
        supplierOrderId: null,
        status: null,
        rawStatus: null,
        lineStatus: [],
        attempts: 1,
        lastError,
        updatedAt: '2026-03-01T00:00:00Z',
      });
      const refusedLine = { lineNumber: 1, sku: 'SKU-1', quantity: 1, supplier: null, supplierSku: null, status: 'rejected' as const, unitCost: null, needsAttention: 'rest refused; no other supplier' };
      await store.insert(sampleOrderRecord({ id: 'fine', updatedAt: '2026-03-01T00:00:09Z', subOrders: [pending('submitting', null)] }));
      await store.insert(sampleOrderRecord({ id: 'refused', status: 'rejected', updatedAt: '2026-03-01T00:00:01Z', lines: [refusedLine] }));
      await store.insert(sampleOrderRecord({ id: 'unanswered', tenant: 'tenant-b', updatedAt: '2026-03-01T00:00:03Z', subOrders: [pending('submitting', 'SUPPLIER_UNAVAILABLE: no answer')] }));
      await store.insert(sampleOrderRecord({ id: 'failed-before', updatedAt: '2026-03-01T00:00:04Z', subOrders: [{ ...pending('failed', 'refused'), id: 'f' }] }));
      await store.insert(sampleOrderRecord({ id: 'dropped', status: 'cancelled', updatedAt: '2026-03-01T00:00:05Z', lines: [refusedLine] }));
      expect((await store.listNeedingAttention(10)).map((o) => o.id)).toEqual(['unanswered', 'refused']);
      expect((await store.listNeedingAttention(1)).map((o) => o.id)).toEqual(['unanswered']);
      expect((await store.listNeedingAttention(10, 'tenant-a')).map((o) => o.id)).toEqual(['refused']);
      expect(await store.listNeedingAttention(10, 'nobody')).toEqual([]);
      await expectRegistryCode(() => store.listNeedingAttention(0), 'INVALID_INPUT');
      await expectRegistryCode(() => store.listNeedingAttention(201), 'INVALID_INPUT');
      // Acted on: the line re-routed (needsAttention cleared) leaves the list.
      await store.save({ ...(await store.get('tenant-a', 'refused'))!, lines: [{ ...refusedLine, needsAttention: null }], updatedAt: '2026-03-01T00:00:10Z' });
      expect((await store.listNeedingAttention(10)).map((o) => o.id)).toEqual(['unanswered']);
    });

    it('bounds workflow pages and refuses bad cursors', async () => {
      await expectRegistryCode(() => store.listByWorkflow('tracking', 0), 'INVALID_INPUT');
      await expectRegistryCode(() => store.listByWorkflow('tracking', 501), 'INVALID_INPUT');
      await expectRegistryCode(() => store.listByWorkflow('tracking', 10, 'garbage'), 'INVALID_INPUT');
      expect(await store.listByWorkflow('tracking', 500, null)).toEqual({ items: [], nextCursor: null });
    });

    it('finds an order by a supplier reference: the supplier order id or our key on the sub-order, at that supplier only', async () => {
      const sub = (id: string, supplier: string, supplierOrderId: string | null): SubOrderRecord => ({
        id,
        supplier,
        idempotencyKey: id,
        lines: [{ lineNumber: 1, sku: 'SKU-1', supplierSku: 'R-1', quantity: 2, unitCost: null }],
        state: supplierOrderId === null ? 'submitting' : 'submitted',
        reservationId: null,
        supplierOrderId,
        status: supplierOrderId === null ? null : 'accepted',
        rawStatus: null,
        lineStatus: [],
        attempts: 1,
        lastError: null,
        updatedAt: '2026-01-01T00:00:00.000Z',
      });
      const placing = sampleOrderRecord({ id: 'o1', subOrders: [sub('o1-rest', 'rest', null)] });
      await store.insert(placing);
      await store.insert(sampleOrderRecord({ id: 'o2', tenant: 'tenant-b', subOrders: [sub('o2-soap', 'soap', 'PO-9')] }));
      // Before the supplier's id is known, our key finds it; the supplier's id does not yet.
      expect((await store.findBySupplierRef('rest', { supplierOrderId: null, reference: 'o1-rest' }))?.id).toBe('o1');
      expect(await store.findBySupplierRef('rest', { supplierOrderId: 'R-77', reference: null })).toBeNull();
      await store.save({ ...placing, subOrders: [sub('o1-rest', 'rest', 'R-77')] });
      expect((await store.findBySupplierRef('rest', { supplierOrderId: 'R-77', reference: null }))?.id).toBe('o1');
      expect((await store.findBySupplierRef('rest', { supplierOrderId: 'R-77', reference: 'unrelated' }))?.id).toBe('o1');
      // Any tenant: a webhook does not know whose order it is.
      const other = await store.findBySupplierRef('soap', { supplierOrderId: 'PO-9', reference: null });
      expect([other?.tenant, other?.id]).toEqual(['tenant-b', 'o2']);
      // Another supplier's ids, unknown ids and nothing at all find nothing.
      expect(await store.findBySupplierRef('soap', { supplierOrderId: 'R-77', reference: 'o1-rest' })).toBeNull();
      expect(await store.findBySupplierRef('rest', { supplierOrderId: 'nope', reference: 'nope' })).toBeNull();
      expect(await store.findBySupplierRef('rest', { supplierOrderId: null, reference: null })).toBeNull();
      await store.clear();
      expect(await store.findBySupplierRef('rest', { supplierOrderId: 'R-77', reference: null })).toBeNull();
    });

    it('concurrency: 20 simultaneous submits under one idempotency key make one order', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.insert(sampleOrderRecord({ id: `dup-${i}`, idempotencyKey: 'same' }))),
      );
      expect(results.filter((r) => r.inserted)).toHaveLength(1);
      const ids = new Set(results.map((r) => (r.inserted ? null : r.existing.id)).filter((id) => id !== null));
      expect(ids.size).toBe(1);
      expect((await store.list({ tenant: 'tenant-a' }, 50, null)).items).toHaveLength(1);
    });
  });
}
