/**
 * Order and fulfilment webhooks through the ingest, on the embedded stores and real HTTP: a verified order delivery
 * is stored in the inbox (the dedupe) and handed to order tracking (the OrderTriggers port) at least once; a
 * duplicate is not handed over again; a forged one is never stored; while tracking is not attached, or the
 * sub-order is still being submitted, or its read-back fails, the delivery waits and is retried.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../../adapters/cache/memory-cache.ts';
import type { OrderSignal } from '../../../adapters/core/webhook.ts';
import { createMemoryEventBus } from '../../../adapters/events/memory-event-bus.ts';
import { createMemoryCatalogStore } from '../../../adapters/storage/memory/catalog-store.ts';
import { createMemoryStockStore } from '../../../adapters/storage/memory/stock-store.ts';
import { createMemoryWebhookInbox } from '../../../adapters/storage/memory/webhook-inbox.ts';
import { createBrightlineWebhookScheme } from '../../../adapters/suppliers/brightline/webhook.ts';
import { listen, type RunningServer } from '../../../platform/http/listen.ts';
import { silentLogger } from '../../../platform/logger.ts';
import type { OrderTriggerResult, OrderTriggers } from '../../../platform/ports/order-triggers.ts';
import { inboxId } from '../../../platform/ports/webhook-inbox.ts';
import { createStockUpdater } from '../stock-updater.ts';
import { counterValue, createInventorySyncMetrics } from '../sync-metrics.ts';
import { createIngestWorker } from './ingest-worker.ts';
import { createSignalReports } from './signal-reports.ts';
import { createWebhookRoute } from './webhook-endpoint.ts';

const SECRET = 'whsec_test';
const log = silentLogger();

function setup() {
  const inbox = createMemoryWebhookInbox();
  const registry = new Registry();
  const metrics = createInventorySyncMetrics(registry);
  const clock = { now: Date.now() };
  const calls: { supplier: string; signals: readonly OrderSignal[] }[] = [];
  let answer: (signal: OrderSignal) => OrderTriggerResult = () => ({ outcome: 'moved' });
  const sink: OrderTriggers = {
    async trackSupplierOrders(supplier, signals) {
      calls.push({ supplier, signals });
      return signals.map((s) => answer(s));
    },
  };
  let attached: OrderTriggers | undefined;
  const worker = createIngestWorker({
    inbox,
    reports: createSignalReports({ catalog: createMemoryCatalogStore(), log, connector: () => undefined, itemResolver: () => undefined }),
    updater: createStockUpdater({ stock: createMemoryStockStore(), cache: createMemoryCache(), events: createMemoryEventBus({ log }), log }),
    orderTriggers: () => attached,
    metrics,
    log,
    retryBaseMs: 1_000,
    now: () => clock.now,
  });
  const route = createWebhookRoute({ schemes: new Map([['brightline', createBrightlineWebhookScheme()]]), secretsFor: () => [SECRET], inbox, onRecorded: (e) => worker.enqueue(e), metrics, log });
  return {
    inbox,
    worker,
    calls,
    clock,
    registry,
    route,
    attach: () => void (attached = sink),
    answerWith: (f: typeof answer) => void (answer = f),
  };
}

async function postOrderEvent(server: RunningServer, id: string, secret = SECRET): Promise<number> {
  const body = JSON.stringify({ id, type: 'order.status_changed', createdAt: new Date().toISOString(), data: { orderId: 'SO4100001', customerOrderNumber: 'o0123456789ab-brightline', status: 'SHIPPED', previousStatus: 'OPEN' } });
  const t = Math.floor(Date.now() / 1000);
  const response = await fetch(`${server.url}/webhooks/brightline`, {
    method: 'POST',
    body,
    headers: { 'x-brightline-signature': `t=${t},v1=${createHmac('sha512', secret).update(`${t}.${body}`).digest('hex')}`, 'x-brightline-delivery': id },
  });
  await response.arrayBuffer();
  return response.status;
}

describe('order webhooks through the ingest (embedded stores, real HTTP)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  async function start() {
    const s = setup();
    const server = await listen({ '/webhooks/*': s.route }, 0);
    cleanup.push(async () => {
      await s.worker.stop();
      await server.close();
    });
    return { ...s, server };
  }

  it('stores a verified order delivery, hands its signal to tracking once, and a duplicate or a forgery not at all', async () => {
    const s = await start();
    s.attach();
    const id = randomUUID();
    expect(await postOrderEvent(s.server, id)).toBe(202);
    await s.worker.drain();
    expect(s.calls).toEqual([{ supplier: 'brightline', signals: [{ supplierOrderId: 'SO4100001', reference: 'o0123456789ab-brightline' }] }]);
    expect(await s.inbox.get(inboxId('brightline', id))).toMatchObject({ status: 'done', note: 'order moved', signals: [] });
    expect(await postOrderEvent(s.server, id)).toBe(200); // the supplier's retry
    expect(await postOrderEvent(s.server, randomUUID(), 'whsec_forged')).toBe(401);
    await s.worker.drain();
    expect(s.calls).toHaveLength(1);
    expect(await s.inbox.countByStatus()).toEqual({ pending: 0, done: 1, failed: 0 });
    expect(await counterValue(s.registry, 'webhook_signals_processed_total', { supplier: 'brightline', outcome: 'applied' })).toBe(1);
    // An order delivery says nothing about stock: the freshness gauge is not stamped by it.
    expect((await s.registry.getSingleMetric('stock_last_refresh_timestamp_seconds')!.get()).values).toEqual([]);
  });

  it('waits while tracking is not attached, and is applied once it is (at least once, after the lease)', async () => {
    const s = await start();
    const id = randomUUID();
    expect(await postOrderEvent(s.server, id)).toBe(202);
    await s.worker.drain();
    expect(await s.inbox.get(inboxId('brightline', id))).toMatchObject({ status: 'pending', attempts: 1, note: 'order tracking is not attached yet' });
    s.attach();
    s.clock.now += 1_000; // the first retry is due
    expect(await s.worker.scanNow()).toBe(1);
    await s.worker.drain();
    expect(s.calls).toHaveLength(1);
    expect(await s.inbox.get(inboxId('brightline', id))).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('retries a sub-order still being submitted and a failed read-back; an order that is not ours is done with', async () => {
    const s = await start();
    s.attach();
    const results: OrderTriggerResult[] = [{ outcome: 'not_submitted' }, { error: 'supplier down' }, { outcome: 'unmatched' }];
    s.answerWith(() => results.shift()!);
    const id = randomUUID();
    await postOrderEvent(s.server, id);
    await s.worker.drain();
    expect(await s.inbox.get(inboxId('brightline', id))).toMatchObject({ status: 'pending', attempts: 1 });
    s.clock.now += 1_000;
    await s.worker.scanNow();
    await s.worker.drain();
    expect(await s.inbox.get(inboxId('brightline', id))).toMatchObject({ status: 'pending', attempts: 2, note: 'supplier down' });
    s.clock.now += 2_000;
    await s.worker.scanNow();
    await s.worker.drain();
    expect(await s.inbox.get(inboxId('brightline', id))).toMatchObject({ status: 'done', attempts: 3, note: 'order unmatched' });
    expect(s.calls).toHaveLength(3);
  });
});
