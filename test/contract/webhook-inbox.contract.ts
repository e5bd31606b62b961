/**
 * One contract for every WebhookInbox. The concurrency case fires many receipts of one delivery at once: it fails
 * when recording is a read-then-write (two "first" receipts would both be applied) rather than one atomic insert.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NewInboxEntry, WebhookInbox } from '../../platform/ports/webhook-inbox.ts';

export type WebhookInboxFactory = () => Promise<WebhookInbox>;

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

export function newEntry(overrides: Partial<NewInboxEntry> = {}): NewInboxEntry {
  return {
    supplier: 'brightline',
    deliveryId: 'd-1',
    topic: 'inventory.updated',
    signals: [{ kind: 'figure', supplierSku: 'BL-1', available: 5, asOf: at(0) }],
    receivedAt: at(0),
    dueAt: at(30),
    ...overrides,
  };
}

export function describeWebhookInboxContract(name: string, make: WebhookInboxFactory): void {
  describe(`WebhookInbox contract: ${name}`, () => {
    let inbox: WebhookInbox;

    beforeAll(async () => {
      inbox = await make();
    });

    beforeEach(async () => {
      await inbox.clear();
    });

    it('records a delivery once; the same delivery id again is a duplicate and changes nothing', async () => {
      const first = await inbox.record(newEntry());
      expect(first.recorded).toBe(true);
      expect(first.entry).toMatchObject({ id: 'brightline:d-1', status: 'pending', attempts: 0, note: null, processedAt: null, signals: newEntry().signals });
      const again = await inbox.record(newEntry({ signals: [], receivedAt: at(5) }));
      expect(again.recorded).toBe(false);
      expect(again.entry).toEqual(first.entry);
      expect(await inbox.get('brightline:d-1')).toEqual(first.entry);
    });

    it('keeps the order signals of an order delivery, through recording and reading back as due', async () => {
      const orderSignals = [{ supplierOrderId: 'gid://shopify/Order/5900000001', reference: 'o0123456789ab-maplecart' }];
      const recorded = await inbox.record(newEntry({ supplier: 'maplecart', deliveryId: 'o-1', topic: 'orders/updated', signals: [], orderSignals }));
      expect(recorded.entry).toMatchObject({ signals: [], orderSignals });
      expect(await inbox.get('maplecart:o-1')).toMatchObject({ topic: 'orders/updated', signals: [], orderSignals });
      expect((await inbox.due(at(30), 10)).map((e) => e.orderSignals)).toEqual([orderSignals]);
    });

    it('keeps delivery ids per supplier: the same id from two suppliers is two deliveries', async () => {
      expect((await inbox.record(newEntry({ supplier: 'brightline' }))).recorded).toBe(true);
      expect((await inbox.record(newEntry({ supplier: 'maplecart' }))).recorded).toBe(true);
      expect(await inbox.countByStatus()).toEqual({ pending: 2, done: 0, failed: 0 });
    });

    it('records exactly one of 20 simultaneous receipts of one delivery', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => inbox.record(newEntry({ receivedAt: at(i) }))));
      expect(results.filter((r) => r.recorded)).toHaveLength(1);
      expect(await inbox.countByStatus()).toEqual({ pending: 1, done: 0, failed: 0 });
    });

    it('lists pending entries once due, oldest first, up to the limit', async () => {
      await inbox.record(newEntry({ deliveryId: 'late', receivedAt: at(2), dueAt: at(100) }));
      await inbox.record(newEntry({ deliveryId: 'b', receivedAt: at(1), dueAt: at(10) }));
      await inbox.record(newEntry({ deliveryId: 'a', receivedAt: at(0), dueAt: at(10) }));
      expect(await inbox.due(at(9), 10)).toEqual([]);
      expect((await inbox.due(at(10), 10)).map((e) => e.deliveryId)).toEqual(['a', 'b']);
      expect((await inbox.due(at(10), 1)).map((e) => e.deliveryId)).toEqual(['a']);
      expect((await inbox.due(at(100), 10)).map((e) => e.deliveryId)).toEqual(['a', 'b', 'late']);
    });

    it('completes an entry: no longer due, still a duplicate', async () => {
      await inbox.record(newEntry());
      await inbox.complete(['brightline:d-1'], 'applied', at(1));
      expect(await inbox.get('brightline:d-1')).toMatchObject({ status: 'done', attempts: 1, note: 'applied', processedAt: at(1) });
      expect(await inbox.due(at(1000), 10)).toEqual([]);
      expect((await inbox.record(newEntry())).recorded).toBe(false);
    });

    it('completes several entries in one call', async () => {
      await inbox.record(newEntry({ deliveryId: 'a' }));
      await inbox.record(newEntry({ deliveryId: 'b' }));
      await inbox.record(newEntry({ deliveryId: 'c' }));
      await inbox.complete(['brightline:a', 'brightline:c'], 'applied', at(2));
      expect(await inbox.countByStatus()).toEqual({ pending: 1, done: 2, failed: 0 });
      expect((await inbox.due(at(1000), 10)).map((e) => e.deliveryId)).toEqual(['b']);
    });

    it('fails an attempt: pending again from the retry time; failed for good when giving up', async () => {
      await inbox.record(newEntry());
      await inbox.fail('brightline:d-1', 'supplier down', at(60), false);
      expect(await inbox.get('brightline:d-1')).toMatchObject({ status: 'pending', attempts: 1, note: 'supplier down', dueAt: at(60) });
      expect(await inbox.due(at(59), 10)).toEqual([]);
      expect(await inbox.due(at(60), 10)).toHaveLength(1);
      await inbox.fail('brightline:d-1', 'still down', at(120), true);
      expect(await inbox.get('brightline:d-1')).toMatchObject({ status: 'failed', attempts: 2 });
      expect(await inbox.due(at(1000), 10)).toEqual([]);
    });

    it('sweeps processed and failed entries received before the cutoff, never pending ones', async () => {
      await inbox.record(newEntry({ deliveryId: 'old-done', receivedAt: at(0) }));
      await inbox.record(newEntry({ deliveryId: 'old-failed', receivedAt: at(0) }));
      await inbox.record(newEntry({ deliveryId: 'old-pending', receivedAt: at(0) }));
      await inbox.record(newEntry({ deliveryId: 'new-done', receivedAt: at(100) }));
      await inbox.complete(['brightline:old-done'], 'ok', at(1));
      await inbox.fail('brightline:old-failed', 'x', at(1), true);
      await inbox.complete(['brightline:new-done'], 'ok', at(101));
      expect(await inbox.sweep(at(50))).toBe(2);
      expect(await inbox.get('brightline:old-done')).toBeNull();
      expect(await inbox.get('brightline:old-failed')).toBeNull();
      expect(await inbox.get('brightline:old-pending')).not.toBeNull();
      expect(await inbox.get('brightline:new-done')).not.toBeNull();
      // After the sweep the id is forgotten: a delivery that old is refused by its signed timestamp instead.
      expect((await inbox.record(newEntry({ deliveryId: 'old-done' }))).recorded).toBe(true);
    });
  });
}
