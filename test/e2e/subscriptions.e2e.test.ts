/**
 * Live stock and order pushes over graphql-ws at the gateway (docs/subscriptions.md), end to end: the whole stack in
 * AUTH_MODE=required, the Brightline sandbox posting its webhook to the inventory subgraph, the graphql-ws client
 * library on the other side. Runs on MongoDB and Redis when MONGO_URL / REDIS_URL are set, else embedded.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestSandbox } from '../../sandboxes/rest/index.ts';
import { mintJwt, startSecureStack, type SecureStack } from '../security/support.ts';
import { postGraphql } from '../support/stack-env.ts';
import { openClient, rawSocket, subscribe, waitFor } from '../support/ws-clients.ts';

const SHIP_TO = { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

const STOCK_SELECTION = `sku supplier oldAvailable newAvailable source version at
  product { sku title offers { __typename available ... on BrightlineOffer { supplier { name } } } }`;

describe('subscriptions at the gateway (e2e)', () => {
  let secure: SecureStack;
  let admin: string;
  let sku: string;
  let supplierSku: string;
  /** A second Brightline product, for the filter cases (no order or reservation ever touches it here). */
  let filterSku: string;
  let filterSupplierSku: string;
  const clients: ReturnType<typeof openClient>[] = [];
  const client = (token?: string) => {
    const c = openClient(secure.url, token);
    clients.push(c);
    return c;
  };
  const subs = () => secure.stack.gateway.subscriptions!;
  /**
   * A stock change through the production path: the Brightline sandbox changes its figure and posts its signed
   * webhook; the inventory ingest applies it through the one update path, which publishes stock.changed. Resolves
   * once the canonical row holds the figure.
   */
  const changeStock = async (target: string, available: number) => {
    const brightline = secure.stack.sandboxes.get('brightline') as RestSandbox;
    brightline.setStock(target, available);
    await brightline.webhooksIdle();
    const until = Date.now() + 10_000;
    while ((await secure.stack.stores.stock.get(target === supplierSku ? sku : filterSku, 'brightline'))?.onHand !== available) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${target} to hold ${available}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  /** Every event published before this call has been handled by the hub (the bus delivers in order). */
  const settle = async () => {
    const marker = `settle-${randomUUID()}`;
    let seen = false;
    const off = await secure.stack.stores.events.subscribe(marker, () => (seen = true));
    await secure.stack.stores.events.publish(marker, {});
    await waitFor(() => seen, 'the event bus');
    await off();
    await new Promise((resolve) => setTimeout(resolve, 150)); // resolutions through the gateway
  };

  beforeAll(async () => {
    secure = await startSecureStack();
    admin = (await secure.issue('t-admin', ['admin'])).token;
    const products = (await secure.stack.stores.catalog.list(200, null)).items;
    const product = products.find((p) => p.suppliers.some((s) => s.supplier === 'brightline') && p.suppliers.length > 1)!;
    sku = product.sku;
    supplierSku = product.suppliers.find((s) => s.supplier === 'brightline')!.supplierSku;
    const other = products.find((p) => p.sku !== sku && p.suppliers.some((s) => s.supplier === 'brightline'))!;
    filterSku = other.sku;
    filterSupplierSku = other.suppliers.find((s) => s.supplier === 'brightline')!.supplierSku;
  }, 300_000);

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await secure?.close();
  });

  it('a webhook at the Brightline sandbox reaches a subscriber with fields from catalog and the supplier subgraph', async () => {
    const sub = subscribe(client(admin), `subscription($skus: [ID!]) { stockChanged(skus: $skus) { ${STOCK_SELECTION} } }`, { skus: [sku] });
    await waitFor(() => subs().subscribers === 1, 'the subscriber');
    const brightline = secure.stack.sandboxes.get('brightline') as RestSandbox;
    const target = (brightline.stockOf(supplierSku) ?? 0) + 17;
    brightline.setStock(supplierSku, target);
    await brightline.webhooksIdle();
    const result = await sub.nth(1);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const change = result.data.stockChanged;
    expect(change).toMatchObject({ sku, supplier: 'brightline', newAvailable: target, source: 'WEBHOOK' });
    const catalog = (await secure.stack.stores.catalog.getBySkus([sku]))[0]!;
    expect(change.product.title).toBe(catalog.title);
    const offer = change.product.offers.find((o: any) => o.__typename === 'BrightlineOffer');
    // The live offer, from the supplier subgraph, after the change invalidated its cache.
    expect(offer).toEqual({ __typename: 'BrightlineOffer', available: target, supplier: { name: 'brightline' } });
    sub.dispose();
    await waitFor(() => subs().subscribers === 0, 'the unsubscribe');
  });

  it('resolves each distinct selection once per event, however many subscribe to it, and delivers exactly once', async () => {
    const same = `subscription { stockChanged { sku newAvailable product { title } } }`;
    const a = subscribe(client(admin), same);
    const b = subscribe(client(admin), same);
    const c = subscribe(client(admin), `subscription { stockChanged { newAvailable item: product { sku brand } } }`);
    const plain = subscribe(client(admin), `subscription { stockChanged { sku newAvailable } }`);
    await waitFor(() => subs().subscribers === 4, 'four subscribers');
    const before = subs().stats.resolutions;
    const target = (secure.stack.sandboxes.get('brightline')!.stockOf(supplierSku) ?? 0) + 11;
    await changeStock(supplierSku, target);
    for (const s of [a, b, c, plain]) await s.nth(1);
    await settle();
    expect(subs().stats.resolutions - before).toBe(2); // `product { title }` once for a and b, `item: product {…}` once for c
    for (const s of [a, b, c, plain]) expect(s.results).toHaveLength(1);
    expect(a.results[0].data.stockChanged).toEqual({ sku, newAvailable: target, product: { title: expect.any(String) } });
    expect(c.results[0].data.stockChanged).toEqual({ newAvailable: target, item: { sku, brand: expect.anything() } });
    expect(plain.results[0].data.stockChanged).toEqual({ sku, newAvailable: target });
    for (const s of [a, b, c, plain]) s.dispose();
    await waitFor(() => subs().subscribers === 0, 'the unsubscribes');
  });

  it('applies filters before resolution: skus, suppliers, minChange, crossingZero', async () => {
    await changeStock(filterSupplierSku, 5); // the starting figure, before anyone subscribes
    const c = client(admin);
    const zero = subscribe(c, `subscription { stockChanged(crossingZero: true) { oldAvailable newAvailable } }`);
    const big = subscribe(c, `subscription { stockChanged(minChange: 10) { oldAvailable newAvailable } }`);
    const other = subscribe(c, `subscription { stockChanged(skus: ["DS-NOT-A-PRODUCT"]) { newAvailable } }`);
    const maple = subscribe(c, `subscription { stockChanged(suppliers: ["maplecart"]) { newAvailable } }`);
    await waitFor(() => subs().subscribers === 4, 'four subscribers');
    await changeStock(filterSupplierSku, 3); // 5 → 3: nobody
    await changeStock(filterSupplierSku, 0); // 3 → 0: crossing zero
    await changeStock(filterSupplierSku, 20); // 0 → 20: both
    await settle();
    expect(zero.results.map((r) => r.data.stockChanged)).toEqual([{ oldAvailable: 3, newAvailable: 0 }, { oldAvailable: 0, newAvailable: 20 }]);
    expect(big.results.map((r) => r.data.stockChanged)).toEqual([{ oldAvailable: 0, newAvailable: 20 }]);
    expect(other.results).toEqual([]);
    expect(maple.results).toEqual([]);
    for (const s of [zero, big, other, maple]) s.dispose();
    await waitFor(() => subs().subscribers === 0, 'the unsubscribes');
  });

  it('refuses an invalid token on connection_init with 4401, and a missing one', async () => {
    for (const payload of [{ authorization: 'Bearer dsk_not_a_real_token_at_all_000000000000' }, { authorization: 'Basic abc' }, {}]) {
      const raw = await rawSocket(secure.url);
      raw.send({ type: 'connection_init', payload });
      expect((await raw.closed()).code).toBe(4401);
    }
  });

  it('refuses the upgrade from a browser page whose origin is not configured (WS_ALLOWED_ORIGINS unset: none)', async () => {
    await expect(rawSocket(secure.url, { headers: { origin: 'https://evil.example' } })).rejects.toThrow(/403/);
    // Not a browser (no Origin): served, and authenticated as ever.
    const raw = await rawSocket(secure.url);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${admin}` } });
    await raw.acked();
    raw.socket.close();
  });

  it('revoking a token through the access subgraph closes its open connections 4401 within 5 s, audited', async () => {
    const { token, id } = await secure.issue('acme', ['inventory:read']);
    const partner = client(token);
    const sub = subscribe(partner, `subscription { stockChanged { sku } }`);
    await waitFor(() => subs().subscribers === 1, 'the subscriber');
    const started = Date.now();
    const revoked = await secure.query(admin, { query: `mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }`, variables: { id } });
    expect(revoked.json.errors, JSON.stringify(revoked.json.errors)).toBeUndefined();
    await waitFor(() => partner.closes.length > 0, 'the revoked connection to close', 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(partner.closes[0]).toEqual({ code: 4401, reason: 'Token revoked' });
    expect(sub.errors).toHaveLength(1); // the client reports the close; 4401 is not retried
    await waitFor(() => subs().subscribers === 0, 'the subscriber to leave');
    const audited = async () => (await secure.stack.stores.audit.list({ action: 'token.denied', actor: `token:${id}` }, 50, null)).items;
    let entries = await audited();
    for (let i = 0; i < 50 && entries.length === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      entries = await audited();
    }
    expect(entries).toEqual([expect.objectContaining({ outcome: 'denied', tenant: 'acme', target: `token:${id}`, reason: 'UNAUTHENTICATED' })]);
  });

  it("closes a connection 4401 when its token expires (a JWT's exp), not before", async () => {
    const jwt = await mintJwt(secure.key, { tenant: 'acme', scope: 'inventory:read', expiresIn: 3 });
    const exp = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).exp * 1000;
    const partner = client(jwt);
    subscribe(partner, `subscription { stockChanged { sku } }`);
    await waitFor(() => subs().subscribers === 1, 'the subscriber');
    await waitFor(() => partner.closes.length > 0, 'the expiry', 8_000);
    const closedAt = Date.now();
    expect(partner.closes[0]).toEqual({ code: 4401, reason: 'Token expired' });
    expect(closedAt).toBeGreaterThanOrEqual(exp - 50);
    expect(closedAt).toBeLessThan(exp + 1_000);
    await waitFor(() => subs().subscribers === 0, 'the subscriber to leave');
  }, 15_000);

  it('checks scopes per subscription: a token without inventory:read is refused stockChanged, and without catalog:read its product', async () => {
    const orders = (await secure.issue('t-partner', ['orders:read'])).token;
    const refused = subscribe(client(orders), `subscription { stockChanged { sku } }`);
    await refused.settled();
    expect(refused.errors[0]).toMatchObject([{ extensions: { code: 'FORBIDDEN', missingScopes: ['inventory:read'] } }]);
    const stockOnly = (await secure.issue('t-partner', ['inventory:read'])).token;
    const noCatalog = subscribe(client(stockOnly), `subscription { stockChanged { sku product { title } } }`);
    await noCatalog.settled();
    expect(noCatalog.errors[0]).toMatchObject([{ extensions: { code: 'FORBIDDEN', missingScopes: ['catalog:read'] } }]);
  });

  it('refuses a subscription beyond the per-connection limit with an error, and closes a flood of messages with 4429', async () => {
    const raw = await rawSocket(secure.url);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${admin}` } });
    await raw.acked();
    for (let i = 1; i <= 26; i += 1) raw.send({ id: `s${i}`, type: 'subscribe', payload: { query: 'subscription { stockChanged { sku } }' } });
    await waitFor(() => raw.messages.some((m) => m.type === 'error'), 'the error');
    expect(raw.messages.filter((m) => m.type === 'error')).toEqual([{ id: 's26', type: 'error', payload: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'TOO_MANY_SUBSCRIPTIONS' }) })] }]);
    for (let i = 0; i < 200; i += 1) raw.send({ id: `f${i}`, type: 'complete' });
    expect((await raw.closed()).code).toBe(4429);
    await waitFor(() => subs().subscribers === 0, 'the closed connection to leave');
  });

  it("tells a partner only about its own tenant's orders, and refuses a subscription to another tenant's order", async () => {
    const acme = (await secure.issue('acme', ['orders:read', 'orders:write'])).token;
    const rival = (await secure.issue('rival', ['orders:read'])).token;
    // Placed and cancelled through the gateway, as a merchant would: the workflow's own status changes are the events.
    const placed = await postGraphql(
      secure.url,
      { query: `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, variables: { input: { idempotencyKey: `sub-${randomUUID()}`, shipTo: SHIP_TO, lines: [{ sku, quantity: 1 }] } } },
      { authorization: `Bearer ${acme}` },
    );
    expect(placed.json.errors, JSON.stringify(placed.json.errors)).toBeUndefined();
    const orderId: string = placed.json.data.placeOrder.id;
    const stolen = subscribe(client(rival), `subscription($id: ID) { orderStatusChanged(orderId: $id) { status } }`, { id: orderId });
    await stolen.settled();
    expect(stolen.errors[0]).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
    const rivalAll = subscribe(client(rival), `subscription { orderStatusChanged { orderId status } }`);
    const own = subscribe(client(acme), `subscription($id: ID) { orderStatusChanged(orderId: $id) { orderId status previousStatus version order { id status idempotencyKey } } }`, { id: orderId });
    await waitFor(() => subs().subscribers === 2, 'two order subscribers');
    const cancelled = await postGraphql(secure.url, { query: `mutation($id: ID!) { cancelOrder(id: $id) { status } }`, variables: { id: orderId } }, { authorization: `Bearer ${acme}` });
    expect(cancelled.json.errors, JSON.stringify(cancelled.json.errors)).toBeUndefined();
    await waitFor(() => own.results.some((r) => r.data.orderStatusChanged.status === 'CANCELLED'), 'the CANCELLED event');
    const stored = (await secure.stack.stores.orders.get('acme', orderId))!;
    const result = own.results.find((r) => r.data.orderStatusChanged.status === 'CANCELLED')!;
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.data.orderStatusChanged).toMatchObject({ orderId, status: 'CANCELLED', version: stored.version, order: { id: orderId, status: 'CANCELLED', idempotencyKey: expect.any(String) } });
    await settle();
    expect(rivalAll.results).toEqual([]);
    own.dispose();
    rivalAll.dispose();
    await waitFor(() => subs().subscribers === 0, 'the unsubscribes');
  });

  it('on shutdown closes every connection 1012 (service restart, retried by clients) without completing a subscription', async () => {
    // A bare socket, to see every message and the close code.
    const raw = await rawSocket(secure.url);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${admin}` } });
    await raw.acked();
    raw.send({ id: 'a', type: 'subscribe', payload: { query: 'subscription { stockChanged { sku } }' } });
    raw.send({ id: 'b', type: 'subscribe', payload: { query: 'subscription { orderStatusChanged { status } }' } });
    await waitFor(() => subs().subscribers === 2, 'the subscribers');
    await subs().close();
    expect(await raw.closed()).toEqual({ code: 1012, reason: 'Service restart' });
    // `complete` would tell a graphql-ws or Apollo client the subscription is over: it would never resubscribe.
    expect(raw.messages.filter((m) => m.type === 'complete')).toEqual([]);
    expect(subs().subscribers).toBe(0);
  });
});
