/**
 * Redis (the event bus) stopped for 10 s while stock changes happen: every `snapshot: true` subscriber converges to
 * the final state once it is back (docs/subscriptions.md, "Bus outages"). Pub/sub keeps nothing for a
 * disconnected subscriber, and a publisher cannot publish while Redis is down, so the events of the outage are
 * gone; the state they changed is in the stock store, and the gateway resends it to snapshot subscriptions when
 * its bus connection is back. The changes are real ones: the Brightline sandbox's stock webhook, applied while
 * Redis is down. A private Redis (its own port), so the shared test services are never stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger.ts';
import type { RestSandbox } from '../../sandboxes/rest/index.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { newProduct } from '../contract/catalog-store.contract.ts';
import { testConfig } from '../support/stack-env.ts';
import { cleanUpTestData } from '../support/test-data.ts';
import { openClient, subscribe, waitFor } from '../support/ws-clients.ts';
import { startPrivateRedis, type PrivateService } from './private-services.ts';

const SKU = 'DS-BUS-OUTAGE';

describe('subscriptions through an event bus outage (fault, private Redis)', () => {
  let redis: PrivateService;
  let stack: Stack;
  let supplierSku: string;
  const clients: ReturnType<typeof openClient>[] = [];
  let config: ReturnType<typeof testConfig>;
  const brightline = () => stack.sandboxes.get('brightline') as RestSandbox;
  const row = async () => (await stack.stores.stock.get(SKU, 'brightline'))!;

  /** A real change: the supplier's figure moves and its webhook reaches the inventory subgraph; resolves when stored. */
  async function supplierStockTo(available: number): Promise<void> {
    const before = (await row()).version;
    brightline().setStock(supplierSku, available);
    await brightline().webhooksIdle();
    const deadline = Date.now() + 10_000;
    while ((await row()).version === before) {
      if (Date.now() > deadline) throw new Error('the stock webhook was not applied');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    redis = await startPrivateRedis();
    config = testConfig({ REDIS_URL: redis.url, BRIGHTLINE_POLL_INTERVAL_MS: '0', HARBORPROMO_POLL_INTERVAL_MS: '0', MAPLECART_POLL_INTERVAL_MS: '0', RECONCILE_INTERVAL_MS: '0' });
    stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false, orderLoopMs: 0 });
    const box = brightline();
    supplierSku = box.supplierSkus().find((s) => (box.stockOf(s) ?? 0) > 0)!;
    await stack.stores.catalog.insert(newProduct(SKU, { title: 'Bus outage', suppliers: [{ supplier: 'brightline', supplierSku }] }));
    await stack.updater.applyReport({ sku: SKU, supplier: 'brightline', supplierSku, onHand: 40, supplierAsOf: new Date().toISOString() }, 'import');
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    if (stack) await stack.close();
    await redis?.close();
    if (config) await cleanUpTestData({ ...config, redisUrl: undefined });
  });

  it('Redis down 10 s while the stock changes: every snapshot subscriber converges to the final state after it returns', async () => {
    const subs = Array.from({ length: 3 }, () => {
      const client = openClient(stack.gateway.graphqlUrl);
      clients.push(client);
      return subscribe(client, `subscription($skus: [ID!]) { stockChanged(skus: $skus, snapshot: true) { sku supplier newAvailable version source } }`, { skus: [SKU] });
    });
    for (const sub of subs) await sub.nth(1);
    await supplierStockTo(120);
    for (const sub of subs) await sub.nth(2);

    await redis.stop();
    const downAt = Date.now();
    // Changes while the bus is down: stored, their events lost.
    for (const available of [130, 140, 150]) {
      await supplierStockTo(available);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const missed = subs.map((s) => s.results.length);
    await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - downAt))));
    await redis.start();

    const final = await row();
    const latest = (sub: (typeof subs)[number]) => {
      // What a client keeps: the highest version per key.
      const byVersion = sub.results.map((r) => r.data.stockChanged).sort((a, b) => a.version - b.version);
      return byVersion.at(-1)!;
    };
    await waitFor(() => subs.every((s) => latest(s).version === final.version), 'every subscriber to converge', 20_000);
    for (const [i, sub] of subs.entries()) {
      expect(latest(sub)).toMatchObject({ sku: SKU, supplier: 'brightline', newAvailable: final.available, version: final.version, source: 'SNAPSHOT' });
      // Nothing was delivered while the bus was down; the state came after it returned.
      expect(missed[i]).toBe(2);
    }
    // And live changes flow again.
    await supplierStockTo(160);
    const after = await row();
    await waitFor(() => subs.every((s) => latest(s).version === after.version), 'the next change', 10_000);
    for (const sub of subs) expect(latest(sub)).toMatchObject({ newAvailable: after.available, source: 'WEBHOOK' });
  }, 90_000);
});
