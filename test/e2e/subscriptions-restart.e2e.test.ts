/**
 * A deploy does not end live subscriptions: two gateway processes (bin/gateway.ts, as deployed) on one Redis, a
 * graphql-ws client with the settings docs/subscriptions.md gives (lazy: false, retryAttempts, shouldRetry) on
 * the first. SIGTERM closes its socket 1012; the client reconnects to the second, resubscribes, gets the current
 * state first (snapshot: true) — including a change made while it was away — then the next change. Changes go
 * through the real paths: the Brightline sandbox's stock webhook, and a cancelOrder mutation.
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
import { postGraphql, testConfig } from '../support/stack-env.ts';
import { cleanUpTestData } from '../support/test-data.ts';
import { subscribe, waitFor, wsUrlOf } from '../support/ws-clients.ts';

const SECRET = 'subscriptions-restart-secret-0123456789abcdef';
const SKU = 'DS-RESTART-BRIGHTLINE';
const SHIP_TO = { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

interface StockChange {
  sku: string;
  supplier: string;
  newAvailable: number;
  version: number;
  source: string;
}
interface OrderChange {
  status: string;
  version: number;
  snapshot: boolean;
}

/** What a client keeps: per key, the highest version seen; an event not newer is a duplicate and dropped. */
function latestByVersion<T extends { version: number }>(events: readonly T[], keyOf: (e: T) => string): { kept: T[]; dropped: number } {
  const seen = new Map<string, number>();
  const kept: T[] = [];
  for (const e of events) {
    if ((seen.get(keyOf(e)) ?? -Infinity) >= e.version) continue;
    seen.set(keyOf(e), e.version);
    kept.push(e);
  }
  return { kept, dropped: events.length - kept.length };
}

describe.skipIf(!process.env.REDIS_URL)('subscriptions survive a gateway restart (e2e, Redis, two gateway processes)', () => {
  let stack: Stack;
  let first: GatewayProcess;
  let second: GatewayProcess;
  let client: Client;
  let supplierSku: string;
  const config = testConfig({ GATEWAY_SIGNING_SECRET: SECRET, BRIGHTLINE_POLL_INTERVAL_MS: '0', HARBORPROMO_POLL_INTERVAL_MS: '0', MAPLECART_POLL_INTERVAL_MS: '0', RECONCILE_INTERVAL_MS: '0' });
  const brightline = () => stack.sandboxes.get('brightline') as RestSandbox;
  const storedVersion = async () => (await stack.stores.stock.get(SKU, 'brightline'))!.version;

  /** A change through the real path: the supplier's stock moves, its webhook reaches the inventory subgraph. */
  async function supplierStockTo(available: number): Promise<number> {
    const before = await storedVersion();
    brightline().setStock(supplierSku, available);
    await brightline().webhooksIdle();
    const deadline = Date.now() + 10_000;
    while ((await storedVersion()) === before) {
      if (Date.now() > deadline) throw new Error('the stock webhook was not applied');
      await new Promise((r) => setTimeout(r, 50));
    }
    return storedVersion();
  }

  beforeAll(async () => {
    stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false, orderLoopMs: 0 });
    const box = brightline();
    supplierSku = box.supplierSkus().find((s) => (box.stockOf(s) ?? 0) > 0)!;
    box.driftStock(supplierSku, 500);
    await stack.stores.catalog.insert(newProduct(SKU, { title: 'Restart', suppliers: [{ supplier: 'brightline', supplierSku }] }));
    await stack.updater.applyReport({ sku: SKU, supplier: 'brightline', supplierSku, onHand: 40, supplierAsOf: new Date().toISOString() }, 'import');
    [first, second] = await Promise.all([startGatewayProcess(gatewayEnvFor(stack, config, SECRET)), startGatewayProcess(gatewayEnvFor(stack, config, SECRET))]);
  }, 300_000);

  afterAll(async () => {
    await client?.dispose();
    await Promise.all([first?.stop(), second?.stop()]);
    if (stack) await stack.close();
    await cleanUpTestData(config);
  });

  it('SIGTERM: the client reconnects to the other gateway, gets the current state (with the change made meanwhile), then the next change', async () => {
    const placed = await postGraphql(second.url, {
      query: `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`,
      variables: { input: { idempotencyKey: `restart-${Date.now()}`, shipTo: SHIP_TO, lines: [{ sku: SKU, quantity: 1 }] } },
    });
    expect(placed.json.errors, JSON.stringify(placed.json.errors)).toBeUndefined();
    const orderId: string = placed.json.data.placeOrder.id;

    // The documented client settings. The URL moves to the second gateway once the first is gone (a load
    // balancer's job in production); the retry waits until the test has made its change "during the restart".
    let target = first.url;
    let reconnect: () => void = () => {};
    const mayReconnect = new Promise<void>((resolve) => (reconnect = resolve));
    const closes: number[] = [];
    client = createClient({
      url: () => wsUrlOf(target),
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 10,
      shouldRetry: () => true,
      retryWait: () => mayReconnect,
      on: { closed: (event) => void closes.push((event as { code: number }).code) },
    });
    const stock = subscribe<{ data: { stockChanged: StockChange } }>(client, `subscription($skus: [ID!]) { stockChanged(skus: $skus, snapshot: true) { sku supplier newAvailable version source } }`, { skus: [SKU] });
    const order = subscribe<{ data: { orderStatusChanged: OrderChange } }>(client, `subscription($id: ID) { orderStatusChanged(orderId: $id, snapshot: true) { status version snapshot } }`, { id: orderId });

    // First the current state, then a change.
    const initial = (await stock.nth(1)).data.stockChanged;
    expect(initial).toMatchObject({ sku: SKU, supplier: 'brightline', source: 'SNAPSHOT', version: await storedVersion() });
    expect((await order.nth(1)).data.orderStatusChanged).toMatchObject({ snapshot: true, status: placed.json.data.placeOrder.status });
    const v1 = await supplierStockTo(initial.newAvailable + 11);
    expect((await stock.nth(2)).data.stockChanged).toMatchObject({ source: 'WEBHOOK', version: v1 });

    // The deploy: the first gateway is stopped; its socket closes 1012 and the client waits to reconnect.
    target = second.url;
    expect(await first.stop()).toBe(0);
    await waitFor(() => closes.includes(1012), 'the 1012 close');
    expect(stock.completed || order.completed).toBe(false); // never `complete`: the client resubscribes
    // Changes while no gateway holds the subscription.
    const v2 = await supplierStockTo(initial.newAvailable + 23);
    const cancelled = await postGraphql(second.url, { query: `mutation($id: ID!) { cancelOrder(id: $id) { status } }`, variables: { id: orderId } });
    expect(cancelled.json.data?.cancelOrder.status, JSON.stringify(cancelled.json)).toBe('CANCELLED');
    reconnect();

    // Reconnected to the second gateway: the current state first, the missed changes in it.
    // (Cancelling released the order's units: that is a stock change too, so the state may be newer than v2.)
    await stock.nth(3, 15_000);
    const row = (await stack.stores.stock.get(SKU, 'brightline'))!;
    const resumed = stock.results[2]!.data.stockChanged;
    expect(resumed).toMatchObject({ source: 'SNAPSHOT', version: row.version, newAvailable: row.available });
    expect(resumed.version).toBeGreaterThanOrEqual(v2);
    await waitFor(() => order.results.some((r) => r.data.orderStatusChanged.status === 'CANCELLED'), 'the cancelled order after reconnecting', 15_000);
    expect(order.results.at(-1)!.data.orderStatusChanged).toMatchObject({ status: 'CANCELLED', snapshot: true });
    // Then the next change.
    const v3 = await supplierStockTo(initial.newAvailable + 31);
    expect((await stock.nth(4)).data.stockChanged).toMatchObject({ source: 'WEBHOOK', version: v3 });

    // After version filtering: no duplicates, every figure in order, ending at the stored one.
    const { kept } = latestByVersion(stock.results.map((r) => r.data.stockChanged), (c) => `${c.sku}|${c.supplier}`);
    expect(kept.map((c) => c.version)).toEqual([initial.version, v1, resumed.version, v3]);
    expect(kept.at(-1)!.newAvailable).toBe((await stack.stores.stock.get(SKU, 'brightline'))!.available);
    const orders = latestByVersion(order.results.map((r) => r.data.orderStatusChanged), () => orderId).kept;
    expect(orders.at(-1)!.status).toBe('CANCELLED');
  }, 90_000);
});
