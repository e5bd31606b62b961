/**
 * A deploy under 1,000 live subscriptions: two gateway processes (bin/gateway.ts) on one Redis, 1,000 graphql-ws
 * clients (the documented settings: lazy: false, retryAttempts, shouldRetry, a randomised retryWait) subscribed on
 * the first with `snapshot: true`. SIGTERM it; every client reconnects to the second, gets the current state — a
 * change made during the restart included — then the next change; after version filtering no client holds a
 * duplicate or misses a state. Changes go through the Brightline sandbox's stock webhook.
 * Needs Redis (REDIS_URL): with the in-process bus, processes share nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { silentLogger } from '../../platform/logger.ts';
import type { RestSandbox } from '../../sandboxes/rest/index.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { newProduct } from '../contract/catalog-store.contract.ts';
import { gatewayEnvFor, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.ts';
import { testConfig } from '../support/stack-env.ts';
import { cleanUpTestData } from '../support/test-data.ts';
import { subscribe, waitFor, wsUrlOf, type Subscription } from '../support/ws-clients.ts';

const SECRET = 'subscriptions-restart-scale-0123456789abcdef';
const SKU = 'DS-RESTART-SCALE';
const CLIENTS = 1_000;

interface Change {
  newAvailable: number;
  version: number;
  source: string;
}

describe.skipIf(!process.env.REDIS_URL)('a deploy under 1,000 live subscriptions (fault, two gateway processes)', () => {
  let stack: Stack;
  let first: GatewayProcess;
  let second: GatewayProcess;
  let supplierSku: string;
  const clients: Client[] = [];
  const config = testConfig({ GATEWAY_SIGNING_SECRET: SECRET, BRIGHTLINE_POLL_INTERVAL_MS: '0', HARBORPROMO_POLL_INTERVAL_MS: '0', MAPLECART_POLL_INTERVAL_MS: '0', RECONCILE_INTERVAL_MS: '0' });
  const brightline = () => stack.sandboxes.get('brightline') as RestSandbox;
  const row = async () => (await stack.stores.stock.get(SKU, 'brightline'))!;

  async function supplierStockTo(available: number): Promise<number> {
    const before = (await row()).version;
    brightline().setStock(supplierSku, available);
    await brightline().webhooksIdle();
    const deadline = Date.now() + 10_000;
    while ((await row()).version === before) {
      if (Date.now() > deadline) throw new Error('the stock webhook was not applied');
      await new Promise((r) => setTimeout(r, 50));
    }
    return (await row()).version;
  }

  beforeAll(async () => {
    stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false, orderLoopMs: 0 });
    const box = brightline();
    supplierSku = box.supplierSkus().find((s) => (box.stockOf(s) ?? 0) > 0)!;
    await stack.stores.catalog.insert(newProduct(SKU, { title: 'Restart at scale', suppliers: [{ supplier: 'brightline', supplierSku }] }));
    await stack.updater.applyReport({ sku: SKU, supplier: 'brightline', supplierSku, onHand: 40, supplierAsOf: new Date().toISOString() }, 'import');
    [first, second] = await Promise.all([startGatewayProcess(gatewayEnvFor(stack, config, SECRET)), startGatewayProcess(gatewayEnvFor(stack, config, SECRET))]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all([first?.stop(), second?.stop()]);
    if (stack) await stack.close();
    await cleanUpTestData(config);
  }, 60_000);

  it('SIGTERM one: every client reconnects, gets the current state (the change made during the restart), then the next change; no duplicates after version filtering', async () => {
    let target = first.url;
    let reconnects = 0;
    const subs: Subscription<{ data: { stockChanged: Change } }>[] = [];
    for (let i = 0; i < CLIENTS; i += 1) {
      const client = createClient({
        url: () => wsUrlOf(target),
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 20,
        shouldRetry: () => true,
        // Spread, as graphql-ws's default backoff spreads them, but short for the test.
        retryWait: async () => {
          reconnects += 1;
          await new Promise((r) => setTimeout(r, 200 + Math.random() * 1_500));
        },
      });
      clients.push(client);
      subs.push(subscribe(client, `subscription($skus: [ID!]) { stockChanged(skus: $skus, snapshot: true) { newAvailable version source } }`, { skus: [SKU] }));
    }
    const latest = (s: (typeof subs)[number]) => Math.max(-1, ...s.results.map((r) => r.data.stockChanged.version));
    const initial = (await row()).version;
    await waitFor(() => subs.every((s) => latest(s) >= initial), 'every snapshot', 60_000);
    const v1 = await supplierStockTo(120);
    await waitFor(() => subs.every((s) => latest(s) >= v1), 'the first change everywhere', 30_000);

    // The deploy, and a change while the clients are away or reconnecting.
    target = second.url;
    const stopped = Date.now();
    const stopping = first.stop();
    const v2 = await supplierStockTo(130);
    expect(await stopping).toBe(0);
    await waitFor(() => subs.every((s) => latest(s) >= v2), 'every client to hold the change made during the restart', 60_000);
    const convergedMs = Date.now() - stopped;
    const v3 = await supplierStockTo(140);
    await waitFor(() => subs.every((s) => latest(s) >= v3), 'the next change everywhere', 30_000);

    const final = await row();
    let duplicates = 0;
    for (const sub of subs) {
      expect(sub.errors).toEqual([]);
      expect(sub.completed).toBe(false);
      // What the client keeps: strictly newer versions only.
      const kept: Change[] = [];
      for (const r of sub.results) {
        const change = r.data.stockChanged;
        if (kept.length > 0 && change.version <= kept.at(-1)!.version) {
          duplicates += 1;
          continue;
        }
        kept.push(change);
      }
      expect(kept[0]!.source).toBe('SNAPSHOT');
      expect(kept.some((c) => c.version >= v2 && c.version < v3)).toBe(true); // the restart's change, as event or state
      expect(kept.at(-1)).toEqual({ newAvailable: final.available, version: v3, source: 'WEBHOOK' });
    }
    expect(reconnects).toBeGreaterThanOrEqual(CLIENTS);
    console.info(`restart under ${CLIENTS} subscriptions: every client converged ${convergedMs} ms after SIGTERM; ${duplicates} duplicates dropped by version`);
  }, 180_000);
});
