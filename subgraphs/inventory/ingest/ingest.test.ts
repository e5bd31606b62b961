/**
 * The ingest path on the embedded stores, through real HTTP: acknowledgement does not wait for the stock path,
 * a failed attempt is retried until applied (at least once) and applied once (idempotent), and a burst for one
 * item is coalesced. The end-to-end suite (test/e2e/inventory-sync.e2e.test.ts) covers the real sandboxes.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../../adapters/cache/memory-cache.ts';
import { createMemoryEventBus } from '../../../adapters/events/memory-event-bus.ts';
import { createMemoryCatalogStore } from '../../../adapters/storage/memory/catalog-store.ts';
import { createMemoryStockStore } from '../../../adapters/storage/memory/stock-store.ts';
import { createMemoryWebhookInbox } from '../../../adapters/storage/memory/webhook-inbox.ts';
import { createBrightlineWebhookScheme } from '../../../adapters/suppliers/brightline/webhook.ts';
import { listen, type RunningServer } from '../../../platform/http/listen.ts';
import { silentLogger } from '../../../platform/logger.ts';
import type { StockUpdater } from '../stock-updater.ts';
import { createStockUpdater } from '../stock-updater.ts';
import { STOCK_CHANGED_TOPIC } from '../stock-events.ts';
import { counterValue, createInventorySyncMetrics, withUpdateMetrics } from '../sync-metrics.ts';
import { createIngestWorker, type IngestWorker } from './ingest-worker.ts';
import { createSignalReports } from './signal-reports.ts';
import { createWebhookRoute } from './webhook-endpoint.ts';

const SECRET = 'whsec_test';
/** The embedded event bus delivers on the next turn of the loop, as Redis would, later. */
const delivered = () => new Promise((resolve) => setImmediate(resolve));
const log = silentLogger();

async function setup(wrap: (updater: StockUpdater) => StockUpdater = (u) => u, clock: { now: number } = { now: Date.now() }) {
  const catalog = createMemoryCatalogStore();
  const stock = createMemoryStockStore();
  const events = createMemoryEventBus({ log });
  const inbox = createMemoryWebhookInbox();
  const registry = new Registry();
  const metrics = createInventorySyncMetrics(registry);
  const updater = wrap(withUpdateMetrics(createStockUpdater({ stock, cache: createMemoryCache(), events, log }), metrics));
  await catalog.insert({ sku: 'DS-1', title: 'One', brand: null, gtin: null, manufacturer: null, mpn: null, description: null, suppliers: [{ supplier: 'brightline', supplierSku: 'BL-1' }] });
  const published: unknown[] = [];
  await events.subscribe(STOCK_CHANGED_TOPIC, (e) => published.push(e));
  const worker = createIngestWorker({
    inbox,
    reports: createSignalReports({ catalog, log, connector: () => undefined, itemResolver: () => undefined }),
    updater,
    metrics,
    log,
    retryBaseMs: 1_000,
    now: () => clock.now,
  });
  const route = createWebhookRoute({
    schemes: new Map([['brightline', createBrightlineWebhookScheme()]]),
    secretsFor: () => [SECRET],
    inbox,
    onRecorded: (entry) => worker.enqueue(entry),
    metrics,
    log,
  });
  const server = await listen({ '/webhooks/*': route }, 0);
  return { server, worker, stock, inbox, registry, published, clock };
}

async function post(server: RunningServer, units: number, lastUpdated: string) {
  const id = randomUUID();
  const body = JSON.stringify({ id, type: 'inventory.updated', createdAt: lastUpdated, data: { partNumber: 'BL-1', warehouses: [{ warehouseCode: 'DAL', quantityAvailable: units }], lastUpdated } });
  const t = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const response = await fetch(`${server.url}/webhooks/brightline`, {
    method: 'POST',
    body,
    headers: { 'x-brightline-signature': `t=${t},v1=${createHmac('sha512', SECRET).update(`${t}.${body}`).digest('hex')}`, 'x-brightline-delivery': id },
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started, id };
}

describe('webhook ingest (embedded stores, real HTTP)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  it('acknowledges at once while the stock path is still busy, and applies the delivery afterwards', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const s = await setup((u) => ({ ...u, applyReport: async (r, source) => (await gate, u.applyReport(r, source)) }));
    cleanup.push(() => s.server.close(), () => s.worker.stop());
    const answer = await post(s.server, 7, new Date().toISOString());
    expect(answer.status).toBe(202);
    expect(answer.ms).toBeLessThan(1_000);
    expect(await s.stock.get('DS-1', 'brightline')).toBeNull(); // not applied yet: the worker is held at the gate
    release();
    await s.worker.drain();
    expect(await s.stock.get('DS-1', 'brightline')).toMatchObject({ onHand: 7 });
    expect(await s.inbox.get(`brightline:${answer.id}`)).toMatchObject({ status: 'done' });
  });

  it('reports the age of the oldest delivery waiting (backlog age), its ingest lag and the supplier freshness', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const clock = { now: Date.now() };
    const s = await setup((u) => ({ ...u, applyReport: async (r, source) => (await gate, u.applyReport(r, source)) }), clock);
    cleanup.push(() => s.server.close(), () => s.worker.stop());
    const metric = async (name: string) => (await s.registry.getSingleMetric(name)!.get()).values;
    expect((await metric('webhook_inbox_oldest_age_seconds'))[0]!.value).toBe(0);
    expect((await post(s.server, 4, new Date().toISOString())).status).toBe(202);
    clock.now += 5_000; // the delivery has waited 5 s behind the held stock path
    expect((await metric('webhook_inbox_oldest_age_seconds'))[0]!.value).toBeGreaterThanOrEqual(4.5);
    release();
    await s.worker.drain();
    expect((await metric('webhook_inbox_oldest_age_seconds'))[0]!.value).toBe(0);
    const lag = (await metric('webhook_ingest_lag_seconds')).find((v) => (v as { metricName?: string }).metricName === 'webhook_ingest_lag_seconds_count');
    expect(lag).toMatchObject({ labels: { supplier: 'brightline' }, value: 1 });
    const refreshed = (await metric('stock_last_refresh_timestamp_seconds')).find((v) => v.labels['supplier'] === 'brightline');
    expect(refreshed!.value).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  it('retries a failed attempt once it is due, applies it once, and announces it once', async () => {
    let failures = 1;
    const clock = { now: Date.now() };
    const s = await setup((u) => ({
      ...u,
      applyReport: async (r, source) => {
        if (failures-- > 0) throw new Error('store briefly unavailable');
        return u.applyReport(r, source);
      },
    }), clock);
    cleanup.push(() => s.server.close(), () => s.worker.stop());
    const answer = await post(s.server, 9, new Date().toISOString());
    await s.worker.drain();
    expect(await s.inbox.get(`brightline:${answer.id}`)).toMatchObject({ status: 'pending', attempts: 1, note: 'store briefly unavailable' });
    expect(await s.worker.scanNow()).toBe(0); // not due before its backoff
    clock.now += 1_000;
    expect(await s.worker.scanNow()).toBe(1);
    await s.worker.drain();
    await delivered();
    expect(await s.inbox.get(`brightline:${answer.id}`)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await s.stock.get('DS-1', 'brightline')).toMatchObject({ onHand: 9, version: 1 });
    expect(s.published).toHaveLength(1);
    expect(await counterValue(s.registry, 'webhook_signals_processed_total', { outcome: 'failed' })).toBe(1);
    // Processing it again (a second process, a lost completion) changes nothing and announces nothing.
    await s.inbox.fail(`brightline:${answer.id}`, 'pretend the completion was lost', new Date(clock.now).toISOString(), false);
    clock.now += 1;
    expect(await s.worker.scanNow()).toBe(1);
    await s.worker.drain();
    await delivered();
    expect(await s.stock.get('DS-1', 'brightline')).toMatchObject({ onHand: 9, version: 1 });
    expect(s.published).toHaveLength(1);
  });

  it('coalesces a burst for one item into one write of the newest figure, counting the others as stale', async () => {
    let writes = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const s = await setup((u) => ({ ...u, applyReport: async (r, source) => (writes++, await gate, u.applyReport(r, source)) }));
    cleanup.push(() => s.server.close(), () => s.worker.stop());
    const base = Date.now();
    // The first delivery is taken alone and held at the gate; the next three queue up behind it as one batch.
    await post(s.server, 1, new Date(base).toISOString());
    for (const [units, offset] of [[30, 3_000], [10, 1_000], [20, 2_000]] as const) expect((await post(s.server, units, new Date(base + offset).toISOString())).status).toBe(202);
    release();
    await s.worker.drain();
    await delivered();
    expect(writes).toBe(2);
    expect(await s.stock.get('DS-1', 'brightline')).toMatchObject({ onHand: 30, supplierAsOf: new Date(base + 3_000).toISOString() });
    expect(await counterValue(s.registry, 'stock_updates_total', { source: 'webhook', outcome: 'stale' })).toBe(2);
    expect(s.published).toHaveLength(2);
  });
});
