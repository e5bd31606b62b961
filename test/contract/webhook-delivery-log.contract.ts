/**
 * One contract for every WebhookDeliveryLog (outbound order webhooks, docs/orders.md): a delivery is recorded once
 * (also under concurrent publishes), updated in place by id, listed newest first per tenant and state, and pending
 * ones are found for a restarted process in due order.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookDeliveryLog, WebhookDeliveryRecord } from '../../platform/ports/webhook-delivery-log.ts';

export type WebhookDeliveryLogFactory = () => Promise<WebhookDeliveryLog>;

export function newDelivery(id: string, overrides: Partial<WebhookDeliveryRecord> = {}): WebhookDeliveryRecord {
  return {
    id,
    endpointId: 'ep1',
    tenant: 'acme',
    eventType: 'order.status_changed',
    eventKey: `o1:${id}`,
    body: JSON.stringify({ type: 'order.status_changed', data: { orderId: 'o1' } }),
    state: 'pending',
    attempts: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    nextAttemptAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function describeWebhookDeliveryLogContract(name: string, make: WebhookDeliveryLogFactory): void {
  describe(`WebhookDeliveryLog contract: ${name}`, () => {
    let log: WebhookDeliveryLog;

    beforeAll(async () => {
      log = await make();
    });

    beforeEach(async () => {
      await log.clear();
    });

    it('creates a delivery once; a second create of the same id is refused and changes nothing', async () => {
      expect(await log.create(newDelivery('msg_1'))).toBe(true);
      expect(await log.create(newDelivery('msg_1', { body: 'other' }))).toBe(false);
      expect(await log.get('msg_1')).toEqual(newDelivery('msg_1'));
      expect(await log.get('msg_missing')).toBeNull();
    });

    it('of concurrent creates of one id exactly one wins', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => log.create(newDelivery('msg_race'))));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('update replaces the record by id, attempts included; returned copies are not live', async () => {
      await log.create(newDelivery('msg_1'));
      const attempted = newDelivery('msg_1', {
        attempts: [{ at: '2026-01-01T00:00:01.000Z', status: 500, error: null }, { at: '2026-01-01T00:00:03.000Z', status: null, error: 'TimeoutError: aborted' }],
        nextAttemptAt: '2026-01-01T00:00:07.000Z',
      });
      await log.update(attempted);
      const got = await log.get('msg_1');
      expect(got).toEqual(attempted);
      (got!.attempts as unknown[]).push('mutated');
      expect((await log.get('msg_1'))!.attempts).toHaveLength(2);
      await log.update({ ...attempted, state: 'delivered', nextAttemptAt: null });
      expect(await log.get('msg_1')).toMatchObject({ state: 'delivered', nextAttemptAt: null });
    });

    it('lists one tenant (or all) newest first, by state, limited', async () => {
      await log.create(newDelivery('msg_a', { createdAt: '2026-01-01T00:00:01.000Z' }));
      await log.create(newDelivery('msg_b', { createdAt: '2026-01-01T00:00:03.000Z', state: 'delivered', nextAttemptAt: null }));
      await log.create(newDelivery('msg_c', { createdAt: '2026-01-01T00:00:02.000Z', state: 'failed', nextAttemptAt: null }));
      await log.create(newDelivery('msg_d', { createdAt: '2026-01-01T00:00:04.000Z', tenant: 'other' }));
      expect((await log.list('acme')).map((d) => d.id)).toEqual(['msg_b', 'msg_c', 'msg_a']);
      expect((await log.list('acme', { state: 'failed' })).map((d) => d.id)).toEqual(['msg_c']);
      expect((await log.list('acme', { limit: 2 })).map((d) => d.id)).toEqual(['msg_b', 'msg_c']);
      expect((await log.list(null)).map((d) => d.id)).toEqual(['msg_d', 'msg_b', 'msg_c', 'msg_a']);
      expect(await log.list('nobody')).toEqual([]);
    });

    it('finds pending deliveries of every tenant, earliest due first', async () => {
      await log.create(newDelivery('msg_late', { nextAttemptAt: '2026-01-01T00:10:00.000Z' }));
      await log.create(newDelivery('msg_soon', { nextAttemptAt: '2026-01-01T00:01:00.000Z', tenant: 'other' }));
      await log.create(newDelivery('msg_done', { state: 'delivered', nextAttemptAt: null }));
      await log.create(newDelivery('msg_failed', { state: 'failed', nextAttemptAt: null }));
      expect((await log.pending(10)).map((d) => d.id)).toEqual(['msg_soon', 'msg_late']);
      expect((await log.pending(1)).map((d) => d.id)).toEqual(['msg_soon']);
    });
  });
}
