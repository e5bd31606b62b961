/**
 * `orderStatusChanged` from the one path that changes an order's status, end to end, across two gateway processes
 * (the stack's own and bin/gateway.ts as deployed, on one Redis): a supplier webhook (the Brightline sandbox ships
 * an order and posts its webhook), the tracking poll loop (the PromoStandards sandbox sends no webhooks), and a
 * `cancelOrder` mutation each reach a graphql-ws subscriber on each gateway exactly once per change, with the
 * order's version. Nothing here publishes an event: orders are placed, moved and cancelled as in production.
 * Needs Redis (REDIS_URL): with the in-process bus, processes share nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger.ts';
import type { OrderRecord } from '../../platform/ports/order-store.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { newProduct } from '../contract/catalog-store.contract.ts';
import { gatewayEnvFor, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';
import { cleanUpTestData } from '../support/test-data.ts';
import { openClient, subscribe, waitFor, type Subscription } from '../support/ws-clients.ts';

const SECRET = 'subscriptions-orders-secret-0123456789abcdef';
const SHIP_TO = { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' };
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status subOrders { supplier state supplierOrderId } } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id) { id status } }`;
const WATCH = `subscription { orderStatusChanged { orderId status previousStatus version snapshot at order { id status } } }`;

interface Change {
  orderId: string;
  status: string;
  previousStatus: string | null;
  version: number;
  snapshot: boolean;
  at: string;
  order: { id: string; status: string } | null;
}

describe.skipIf(!process.env.REDIS_URL)('orderStatusChanged through the real paths, on two gateway processes (e2e, Redis)', () => {
  let stack: Stack;
  let gateway: GatewayProcess;
  const config = testConfig({ GATEWAY_SIGNING_SECRET: SECRET, BRIGHTLINE_POLL_INTERVAL_MS: '0', HARBORPROMO_POLL_INTERVAL_MS: '0', MAPLECART_POLL_INTERVAL_MS: '0', RECONCILE_INTERVAL_MS: '0' });
  const clients: ReturnType<typeof openClient>[] = [];
  /** One all-orders subscriber per gateway process. */
  const watchers: Subscription<{ data: { orderStatusChanged: Change } }>[] = [];
  let keySeq = 0;
  const canonical = (supplier: string) => `DS-LIVE-${supplier.toUpperCase()}`;
  const stored = async (id: string): Promise<OrderRecord> => (await stack.stores.orders.get('default', id))!;

  async function place(supplier: string): Promise<{ id: string; supplierOrderId: string }> {
    const { json } = await postGraphql(stack.gateway.graphqlUrl, { query: PLACE, variables: { input: { idempotencyKey: `live-${Date.now()}-${(keySeq += 1)}`, shipTo: SHIP_TO, lines: [{ sku: canonical(supplier), quantity: 1 }] } } });
    expect(json.errors, JSON.stringify(json.errors)).toBeUndefined();
    const sub = json.data.placeOrder.subOrders.find((s: { state: string }) => s.state === 'SUBMITTED');
    expect(sub, JSON.stringify(json.data.placeOrder)).toBeDefined();
    return { id: json.data.placeOrder.id, supplierOrderId: sub.supplierOrderId };
  }

  async function until(id: string, done: (order: OrderRecord) => boolean, what: string): Promise<OrderRecord> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const order = await stored(id);
      if (done(order)) return order;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${order.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Every watcher heard each stored status change of the order exactly once: consecutive events chain (each one's
   * previous status is the last one's status), versions only grow, and the last one is the stored status. Waits a
   * while after the expected status arrives, so a duplicate would be seen.
   */
  async function expectExactlyOnce(orderId: string, status: string): Promise<Change[]> {
    const of = (w: (typeof watchers)[number]) => w.results.map((r) => r.data.orderStatusChanged).filter((c) => c.orderId === orderId);
    await waitFor(() => watchers.every((w) => of(w).some((c) => c.status === status)), `${status} at every gateway`, 20_000);
    await new Promise((r) => setTimeout(r, 800));
    const order = await stored(orderId);
    const seen = watchers.map(of);
    for (const changes of seen) {
      expect(changes.filter((c) => c.status === status)).toHaveLength(1);
      expect(changes.every((c) => c.snapshot === false && c.previousStatus !== c.status)).toBe(true);
      for (let i = 1; i < changes.length; i += 1) {
        expect(changes[i]!.previousStatus).toBe(changes[i - 1]!.status);
        expect(changes[i]!.version).toBeGreaterThan(changes[i - 1]!.version);
      }
      const last = changes.at(-1)!;
      expect(last).toMatchObject({ status: order.status.toUpperCase(), version: order.version, at: order.updatedAt });
      // The order itself, resolved through the supergraph by the gateway the subscriber is on.
      expect(last.order).toEqual({ id: orderId, status: order.status.toUpperCase() });
    }
    // Both gateways told the same story (the resolved order is read when each gateway hears the event, so it may
    // already show a later status: compare the events themselves).
    const events = (changes: Change[]) => changes.map(({ order: _order, ...event }) => event);
    expect(events(seen[1]!)).toEqual(events(seen[0]!));
    return seen[0]!;
  }

  beforeAll(async () => {
    stack = await startStack({
      config,
      log: silentLogger(),
      subgraphPorts: 'random',
      seed: false,
      // The production loop (resume + tracking), fast: the PromoStandards sub-order is polled within a second.
      orderLoopMs: 200,
      orderOptions: { submitTimeoutMs: 3_000, tracking: { minIntervalMs: 200, maxIntervalMs: 400, walkIntervalMs: 300 } },
    });
    for (const slug of ['brightline', 'harborpromo']) {
      const box = stack.sandboxes.get(slug)!;
      const chosen = box.supplierSkus().find((s) => (box.stockOf(s) ?? 0) > 0)!;
      box.driftStock(chosen, 500); // plenty for the live re-check
      await stack.stores.catalog.insert(newProduct(canonical(slug), { title: `Live ${slug}`, suppliers: [{ supplier: slug, supplierSku: chosen }] }));
      await stack.updater.applyReport({ sku: canonical(slug), supplier: slug, supplierSku: chosen, onHand: 40, supplierAsOf: new Date().toISOString() }, 'import');
    }
    gateway = await startGatewayProcess(gatewayEnvFor(stack, config, SECRET));
    for (const url of [stack.gateway.graphqlUrl, gateway.url]) {
      const client = openClient(url);
      clients.push(client);
      watchers.push(subscribe(client, WATCH));
    }
    await waitFor(() => stack.gateway.subscriptions!.subscribers === 1, 'the local subscriber');
    // The other process's subscriber count cannot be read from here; a pause bounds its registration.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }, 300_000);

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await gateway?.stop();
    if (stack) await stack.close();
    await cleanUpTestData(config);
  });

  it('a supplier webhook shipping an order: one SHIPPED event at each gateway', async () => {
    const { id, supplierOrderId } = await place('brightline');
    stack.sandboxes.get('brightline')!.advanceOrder(supplierOrderId, 'shipped');
    await until(id, (o) => o.status === 'shipped', 'the webhook to ship the order');
    const changes = await expectExactlyOnce(id, 'SHIPPED');
    expect(changes.at(-1)!.status).toBe('SHIPPED');
  }, 60_000);

  it('the tracking poll (a supplier without webhooks): one SHIPPED event at each gateway', async () => {
    const { id, supplierOrderId } = await place('harborpromo');
    stack.sandboxes.get('harborpromo')!.advanceOrder(supplierOrderId, 'shipped');
    await until(id, (o) => o.status === 'shipped', 'the poll loop to ship the order');
    await expectExactlyOnce(id, 'SHIPPED');
  }, 60_000);

  it('a cancelOrder mutation: one CANCELLED event at each gateway', async () => {
    const { id } = await place('brightline');
    const { json } = await postGraphql(gateway.url, { query: CANCEL, variables: { id } });
    expect(json.errors, JSON.stringify(json.errors)).toBeUndefined();
    expect(json.data.cancelOrder.status).toBe('CANCELLED');
    await expectExactlyOnce(id, 'CANCELLED');
  }, 60_000);
});
