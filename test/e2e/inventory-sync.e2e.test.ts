/**
 * Inventory truth end to end: the whole stack (gateway, subgraphs, the three supplier sandboxes over real HTTP),
 * with the sandboxes posting their webhooks to the inventory subgraph's endpoint. Push (signature, replay window,
 * dedupe, ordering), pull (poller) and reconciliation, each checked on canonical stock, the inbox, the
 * `stock.changed` events and the metrics. Runs on MongoDB (FerretDB) and Redis when MONGO_URL / REDIS_URL are set,
 * else on the embedded stores.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger.ts';
import type { StockRecord } from '../../platform/ports/stock-store.ts';
import type { GraphqlSandbox } from '../../sandboxes/graphql/index.ts';
import { signWebhook, type RestSandbox } from '../../sandboxes/rest/index.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { STOCK_CHANGED_TOPIC, type StockChangedEvent } from '../../subgraphs/inventory/stock-events.ts';
import { counterValue } from '../../subgraphs/inventory/sync-metrics.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';

const MAX_BODY = 4_096;

async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('inventory sync: push, pull and reconciliation (e2e)', () => {
  let stack: Stack;
  let brightline: RestSandbox;
  let maplecart: GraphqlSandbox;
  const events: StockChangedEvent[] = [];
  let unsubscribe: () => Promise<void>;
  /** Canonical SKU ↔ supplier SKU pairs, per supplier, in catalog order. */
  const mapped = new Map<string, { sku: string; supplierSku: string }[]>();

  const webhookUrl = (slug: string) => `${stack.subgraphs.get('inventory')!.url}/webhooks/${slug}`;
  const deliveries = (supplier: string, outcome: string) => counterValue(stack.metrics.registry, 'webhook_deliveries_total', { supplier, outcome });
  const row = (sku: string, supplier: string): Promise<StockRecord | null> => stack.stores.stock.get(sku, supplier);
  const eventsFor = (sku: string, supplier: string) => events.filter((e) => e.sku === sku && e.supplier === supplier);
  const inboxTotal = async () => Object.values(await stack.stores.webhookInbox.countByStatus()).reduce((a, b) => a + b, 0);
  /** Lets the event bus deliver (Redis pub/sub is asynchronous) before counting events. */
  const settle = async () => {
    await stack.sync.worker.drain();
    const marker = `settle-${randomUUID()}`;
    let seen = false;
    const off = await stack.stores.events.subscribe(marker, () => (seen = true));
    await stack.stores.events.publish(marker, {});
    await eventually(() => seen, 'the event bus to deliver');
    await off();
  };

  /** A Brightline inventory.updated delivery, signed as Brightline signs (its sandbox's own signer and secret). */
  function brightlineDelivery(supplierSku: string, units: number, lastUpdated: string, options: { id?: string; t?: number; secret?: string } = {}) {
    const id = options.id ?? randomUUID();
    const body = JSON.stringify({
      id,
      type: 'inventory.updated',
      createdAt: lastUpdated,
      data: { partNumber: supplierSku, status: 'IN_STOCK', warehouses: [{ warehouseCode: 'DAL', quantityAvailable: units }], lastUpdated },
    });
    const t = options.t ?? Math.floor(Date.now() / 1000);
    return {
      id,
      body,
      headers: {
        'content-type': 'application/json',
        'x-brightline-signature': signWebhook(options.secret ?? brightline.webhookSecret, t, body),
        'x-brightline-delivery': id,
        'x-brightline-event': 'inventory.updated',
      },
    };
  }

  async function post(slug: string, delivery: { body: string | Buffer; headers: Record<string, string> }): Promise<{ status: number; json: any; ms: number }> {
    const started = performance.now();
    const response = await fetch(webhookUrl(slug), { method: 'POST', headers: delivery.headers, body: delivery.body });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null, ms: performance.now() - started };
  }

  beforeAll(async () => {
    stack = await startStack({
      config: testConfig({
        // Polls and reconciliation run when a test asks, so no background pass can race an assertion.
        BRIGHTLINE_POLL_INTERVAL_MS: '0',
        HARBORPROMO_POLL_INTERVAL_MS: '0',
        MAPLECART_POLL_INTERVAL_MS: '0',
        RECONCILE_INTERVAL_MS: '0',
        WEBHOOK_MAX_BODY_BYTES: String(MAX_BODY),
        // Roomier plans than the standard ones: this suite is about sync semantics, not rate limits (the traffic
        // suites cover those), and full snapshots of one-SKU-per-call PromoStandards would otherwise take minutes.
        SUPPLIER_LIMITS: JSON.stringify({
          harborpromo: { requests: { limit: 12_000, perSeconds: 60, burst: 400 } },
          maplecart: { cost: { maximumAvailable: 4_000, restoreRate: 400 } },
        }),
      }),
      log: silentLogger(),
      subgraphPorts: 'random',
    });
    brightline = stack.sandboxes.get('brightline') as RestSandbox;
    maplecart = stack.sandboxes.get('maplecart') as GraphqlSandbox;
    for (let page = await stack.stores.catalog.list(500, null); ; page = await stack.stores.catalog.list(500, page.nextCursor)) {
      for (const product of page.items) {
        for (const m of product.suppliers) mapped.set(m.supplier, [...(mapped.get(m.supplier) ?? []), { sku: product.sku, supplierSku: m.supplierSku }]);
      }
      if (page.nextCursor === null) break;
    }
    unsubscribe = await stack.stores.events.subscribe(STOCK_CHANGED_TOPIC, (payload) => events.push(payload as StockChangedEvent));
  }, 300_000); // imports three catalogs and snapshots their stock: minutes on a loaded FerretDB

  afterAll(async () => {
    await unsubscribe?.();
    if (!stack) return;
    await Promise.all([stack.stores.catalog.clear(), stack.stores.stock.clear(), stack.stores.webhookInbox.clear(), stack.stores.discrepancies.clear()]);
    await stack.close();
  });

  it('versions 3, 1, 2 of an update arriving in that order leave version 3; the older two are ignored and counted', async () => {
    const { sku, supplierSku } = mapped.get('brightline')![0]!;
    const base = Date.now() + 60_000; // newer than the figure imported at start
    const version = (n: number) => new Date(base + n * 1_000).toISOString();
    const staleBefore = await counterValue(stack.metrics.registry, 'stock_updates_total', { supplier: 'brightline', source: 'webhook', outcome: 'stale' });
    const before = await row(sku, 'brightline');
    for (const [n, units] of [[3, 3033], [1, 1011], [2, 2022]] as const) {
      const answer = await post('brightline', brightlineDelivery(supplierSku, units, version(n)));
      expect(answer.status).toBe(202);
      expect(answer.json).toMatchObject({ status: 'accepted' });
      expect(answer.ms).toBeLessThan(1_000);
    }
    await settle();
    const after = await row(sku, 'brightline');
    expect(after).toMatchObject({ onHand: 3033, supplierAsOf: version(3), version: before!.version + 1 });
    expect(await counterValue(stack.metrics.registry, 'stock_updates_total', { supplier: 'brightline', source: 'webhook', outcome: 'stale' })).toBe(staleBefore + 2);
    expect(eventsFor(sku, 'brightline').map((e) => [e.newAvailable, e.source])).toEqual([[3033, 'webhook']]);
  });

  it('applies a delivery sent three times once: 202, then 200 "duplicate" twice', async () => {
    const { sku, supplierSku } = mapped.get('brightline')![1]!;
    const before = await row(sku, 'brightline');
    const id = randomUUID();
    const lastUpdated = new Date(Date.now() + 60_000).toISOString();
    const duplicatesBefore = await deliveries('brightline', 'duplicate');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      // Brightline re-signs each retry with a fresh timestamp; the delivery id stays.
      statuses.push((await post('brightline', brightlineDelivery(supplierSku, before!.onHand + 7, lastUpdated, { id, t: Math.floor(Date.now() / 1000) + attempt }))).status);
    }
    await settle();
    expect(statuses).toEqual([202, 200, 200]);
    expect(await row(sku, 'brightline')).toMatchObject({ onHand: before!.onHand + 7, version: before!.version + 1 });
    expect(eventsFor(sku, 'brightline')).toHaveLength(1);
    expect(await deliveries('brightline', 'duplicate')).toBe(duplicatesBefore + 2);
    expect(await stack.stores.webhookInbox.get(`brightline:${id}`)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('rejects a forged signature, a stale timestamp, a replay, malformed JSON and an oversized body: right status, nothing written, counted', async () => {
    const { sku, supplierSku } = mapped.get('brightline')![2]!;
    const lastUpdated = new Date(Date.now() + 60_000).toISOString();
    const genuine = brightlineDelivery(supplierSku, 9_999, lastUpdated);
    expect((await post('brightline', genuine)).status).toBe(202);
    await settle();
    const rowBefore = await row(sku, 'brightline');
    const inboxBefore = await inboxTotal();
    const eventsBefore = events.length;

    const malformedBody = '{"id": "x", "type": "inventory.updated", ';
    const t = Math.floor(Date.now() / 1000);
    const cases = [
      { outcome: 'forged', status: 401, code: 'INVALID_SIGNATURE', delivery: brightlineDelivery(supplierSku, 999, lastUpdated, { secret: 'whsec_guessed' }) },
      { outcome: 'stale', status: 401, code: 'STALE_TIMESTAMP', delivery: brightlineDelivery(supplierSku, 998, lastUpdated, { t: t - 3_600 }) },
      // The captured genuine request, byte for byte: inside the window the dedupe answers it, nothing is written.
      { outcome: 'duplicate', status: 200, code: null, delivery: genuine },
      {
        outcome: 'malformed',
        status: 400,
        code: 'MALFORMED_PAYLOAD',
        delivery: { body: malformedBody, headers: { ...genuine.headers, 'x-brightline-signature': signWebhook(brightline.webhookSecret, t, malformedBody) } },
      },
      { outcome: 'oversized', status: 413, code: 'PAYLOAD_TOO_LARGE', delivery: { body: Buffer.alloc(MAX_BODY + 1, 'a'), headers: genuine.headers } },
    ];
    for (const c of cases) {
      const counted = await deliveries('brightline', c.outcome);
      const answer = await post('brightline', c.delivery);
      expect(answer.status, c.outcome).toBe(c.status);
      if (c.code) expect(answer.json.error.code, c.outcome).toBe(c.code);
      expect(await deliveries('brightline', c.outcome), `${c.outcome} counted`).toBe(counted + 1);
    }
    const unknown = await post('harborpromo', genuine);
    expect(unknown.status).toBe(404);
    expect(await deliveries('unknown', 'unknown_supplier')).toBeGreaterThanOrEqual(1);

    await settle();
    expect(await row(sku, 'brightline')).toEqual(rowBefore);
    expect(await inboxTotal()).toBe(inboxBefore);
    expect(events.length).toBe(eventsBefore);
  });

  it('a stock movement at Brightline (its own webhook) produces exactly one stock.changed event', async () => {
    const { sku, supplierSku } = mapped.get('brightline')![3]!;
    const target = (brightline.stockOf(supplierSku) ?? 0) + 17;
    brightline.setStock(supplierSku, target);
    await brightline.webhooksIdle();
    await settle();
    expect(await row(sku, 'brightline')).toMatchObject({ onHand: target });
    expect(eventsFor(sku, 'brightline').map((e) => [e.newAvailable, e.source])).toEqual([[target, 'webhook']]);
  });

  it('a stock movement at maplecart (item id only, one delivery per location) is read back and produces exactly one event', async () => {
    const { sku, supplierSku } = mapped.get('maplecart')![0]!;
    const target = (maplecart.stockOf(supplierSku) ?? 0) + 23;
    maplecart.setStock(supplierSku, target);
    await maplecart.webhooksIdle();
    await settle();
    expect(await row(sku, 'maplecart')).toMatchObject({ onHand: target });
    expect(eventsFor(sku, 'maplecart').map((e) => [e.newAvailable, e.source])).toEqual([[target, 'webhook']]);
    expect(await deliveries('maplecart', 'accepted')).toBeGreaterThanOrEqual(1);
  });

  it('a change found by polling (the pull-only SOAP supplier) produces exactly one event, and a second pass none', async () => {
    const { sku, supplierSku } = mapped.get('harborpromo')![0]!;
    const target = (stack.sandboxes.get('harborpromo')!.stockOf(supplierSku) ?? 0) + 5;
    stack.sandboxes.get('harborpromo')!.driftStock(supplierSku, target);
    const first = await stack.sync.poller.pollNow('harborpromo');
    expect(first).toMatchObject({ supplier: 'harborpromo', applied: 1, error: null });
    expect(first.requested).toBe(mapped.get('harborpromo')!.length);
    await settle();
    expect(await row(sku, 'harborpromo')).toMatchObject({ onHand: target });
    expect(eventsFor(sku, 'harborpromo').map((e) => [e.newAvailable, e.source])).toEqual([[target, 'poll']]);
    expect((await stack.sync.poller.pollNow('harborpromo')).applied).toBe(0);
    await settle();
    expect(eventsFor(sku, 'harborpromo')).toHaveLength(1);
    expect(await counterValue(stack.metrics.registry, 'stock_poll_runs_total', { supplier: 'harborpromo', outcome: 'ok' })).toBe(2);
  }, 120_000); // two passes of one PromoStandards call per SKU, held to the supplier's published rate

  it('processes deliveries left pending by a process that acknowledged them and died', async () => {
    const { sku, supplierSku } = mapped.get('brightline')![4]!;
    const receivedAt = new Date(Date.now() - 120_000).toISOString();
    const asOf = new Date(Date.now() + 60_000).toISOString();
    await stack.stores.webhookInbox.record({
      supplier: 'brightline',
      deliveryId: `crashed-${randomUUID()}`,
      topic: 'inventory.updated',
      signals: [{ kind: 'figure', supplierSku, available: 4_444, asOf }],
      receivedAt,
      dueAt: receivedAt, // the dead process's lease has run out
    });
    expect(await stack.sync.worker.scanNow()).toBe(1);
    await settle();
    expect(await row(sku, 'brightline')).toMatchObject({ onHand: 4_444, supplierAsOf: asOf });
    expect((await stack.stores.webhookInbox.countByStatus()).pending).toBe(0);
  });

  it('finds silent drift by reconciliation, corrects it past the threshold, and lists it through stockDiscrepancies', async () => {
    const [drifted, small] = [mapped.get('brightline')![5]!, mapped.get('brightline')!.find((m, i) => i > 5 && (brightline.stockOf(m.supplierSku) ?? 0) >= 100)!];
    const mapleDrifted = mapped.get('maplecart')![1]!;
    const ours = (await row(drifted.sku, 'brightline'))!.onHand;
    brightline.driftStock(drifted.supplierSku, ours + 40);
    const smallOurs = (await row(small.sku, 'brightline'))!.onHand;
    brightline.driftStock(small.supplierSku, smallOurs + 1); // 1 unit of ≥ 100: under both thresholds
    const mapleTarget = (maplecart.stockOf(mapleDrifted.supplierSku) ?? 0) + 31;
    maplecart.driftStock(mapleDrifted.supplierSku, mapleTarget);
    const eventsBefore = events.length;

    const progress: string[] = [];
    const run = await stack.sync.reconcileNow((p) => progress.push(`${p.supplier}:${p.checked}`));
    expect(run.status).toBe('completed');
    expect(run.suppliers.map((s) => [s.supplier, s.error])).toEqual([['brightline', null], ['harborpromo', null], ['maplecart', null]]);
    expect(progress.length).toBeGreaterThanOrEqual(3);

    await settle();
    expect(await row(drifted.sku, 'brightline')).toMatchObject({ onHand: ours + 40 });
    expect(await row(small.sku, 'brightline')).toMatchObject({ onHand: smallOurs });
    expect(await row(mapleDrifted.sku, 'maplecart')).toMatchObject({ onHand: mapleTarget });
    expect(eventsFor(drifted.sku, 'brightline').filter((e) => e.source === 'reconcile').map((e) => e.newAvailable)).toEqual([ours + 40]);
    expect(events.length).toBeGreaterThan(eventsBefore);

    const { json } = await postGraphql(stack.gateway.graphqlUrl, {
      query: `query($runId: ID) {
        stockDiscrepancies(runId: $runId, first: 500) {
          run { id status corrected }
          totalCount
          pageInfo { hasNextPage }
          nodes { product { sku title } supplier supplierSku ours theirs difference ageSeconds corrected resolution }
        }
        reconciliationRuns(first: 5) { id status checked discrepancies corrected suppliers { supplier checked } }
      }`,
      variables: { runId: run.id },
    });
    expect(json.errors).toBeUndefined();
    const listed = json.data.stockDiscrepancies;
    expect(listed.run).toMatchObject({ id: run.id, status: 'COMPLETED' });
    const bySku = new Map(listed.nodes.map((n: any) => [`${n.supplier}/${n.product.sku}`, n]));
    expect(bySku.get(`brightline/${drifted.sku}`)).toMatchObject({
      supplierSku: drifted.supplierSku, ours, theirs: ours + 40, difference: 40, corrected: true, resolution: 'CORRECTED',
      product: { sku: drifted.sku, title: expect.any(String) },
    });
    expect((bySku.get(`brightline/${drifted.sku}`) as any).ageSeconds).toBeGreaterThanOrEqual(0);
    expect(bySku.get(`brightline/${small.sku}`)).toMatchObject({ ours: smallOurs, theirs: smallOurs + 1, corrected: false, resolution: 'BELOW_THRESHOLD' });
    expect(bySku.get(`maplecart/${mapleDrifted.sku}`)).toMatchObject({ theirs: mapleTarget, difference: 31, corrected: true });
    expect(listed.totalCount).toBe(listed.nodes.length);
    expect(json.data.reconciliationRuns[0]).toMatchObject({ id: run.id, status: 'COMPLETED', corrected: listed.nodes.filter((n: any) => n.corrected).length });
    expect(await counterValue(stack.metrics.registry, 'stock_discrepancies_corrected_total', { supplier: 'brightline' })).toBeGreaterThanOrEqual(1);
    // The drift gauge (alerts and the dashboard) is the last completed pass's share of SKUs that differed.
    for (const summary of run.suppliers) {
      expect(await counterValue(stack.metrics.registry, 'reconciliation_drift_ratio', { supplier: summary.supplier })).toBeCloseTo(summary.discrepancies / summary.checked, 6);
    }
    expect(await counterValue(stack.metrics.registry, 'reconciliation_drift_ratio', { supplier: 'brightline' })).toBeGreaterThan(0);

    // The latest run is the default, and a second run finds only the discrepancy left under the threshold.
    const again = await stack.sync.reconcileNow();
    const latest = await postGraphql(stack.gateway.graphqlUrl, { query: '{ stockDiscrepancies { run { id } nodes { product { sku } resolution } } }' });
    expect(latest.json.data.stockDiscrepancies.run.id).toBe(again.id);
    expect(latest.json.data.stockDiscrepancies.nodes).toEqual([{ product: { sku: small.sku }, resolution: 'BELOW_THRESHOLD' }]);
  }, 180_000); // two full snapshots of three suppliers, held to their published rates
});
