/**
 * The maplecart sandbox checked on the wire with plain fetch: no connector code, so a shared bug cannot hide.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGraphqlSandbox, GRAPHQL_PATH, type GraphqlSandbox, type GraphqlSandboxOptions } from './index.ts';

let sandbox: GraphqlSandbox | undefined;
let receiver: Server | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  receiver = undefined;
});

async function start(options: GraphqlSandboxOptions = {}): Promise<GraphqlSandbox> {
  sandbox = await createGraphqlSandbox(options);
  return sandbox;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

async function gql(sb: GraphqlSandbox, query: string, variables: Record<string, unknown> = {}, token: string | null = sb.credentials['accessToken']!): Promise<Answer> {
  const res = await fetch(sb.url + GRAPHQL_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { 'x-shopify-access-token': token }) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const CREATE = `mutation Create($order: OrderCreateOrderInput!, $key: String!) {
  orderCreate(order: $order, options: { inventoryBehaviour: DECREMENT_OBEYING_POLICY }) @idempotent(key: $key) {
    order { id sourceIdentifier displayFulfillmentStatus }
    userErrors { field message code }
  }
}`;

const orderInput = (sku: string, quantity: number, sourceIdentifier: string) => ({ sourceIdentifier, lineItems: [{ sku, quantity }] });

describe('maplecart sandbox: auth and cost', () => {
  it('refuses a wrong or missing access token like Shopify', async () => {
    const sb = await start();
    for (const token of ['shpat_wrong', null]) {
      const answer = await gql(sb, '{ shop { name } }', {}, token);
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
  });

  it('reports requested and actual cost and the bucket on every answer, charging the actual cost', async () => {
    const sb = await start();
    const skus = sb.supplierSkus().slice(0, 3);
    const query = `query($q: String!) { productVariants(first: 10, query: $q) { nodes { sku inventoryItem { unitCost { amount } } } } }`;
    const answer = await gql(sb, query, { q: skus.map((s) => `sku:${s}`).join(' OR ') });
    expect(answer.status).toBe(200);
    expect(answer.json.data.productVariants.nodes).toHaveLength(3);
    // connection 2 + first × (variant 1 + inventoryItem 1 + unitCost 1)
    expect(answer.json.extensions.cost).toEqual({
      requestedQueryCost: 2 + 10 * 3,
      actualQueryCost: 2 + 3 * 3,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: expect.any(Number), restoreRate: 50 },
    });
    const available = answer.json.extensions.cost.throttleStatus.currentlyAvailable;
    expect(available).toBeGreaterThanOrEqual(1000 - 11);
    expect(available).toBeLessThan(1000);
  });

  it('refuses a query over the single-query cap before charging anything', async () => {
    const sb = await start();
    const answer = await gql(sb, `{ productVariants(first: 250) { nodes { inventoryItem { inventoryLevels(first: 10) { nodes { quantities(names: ["available"]) { quantity } } } } } } }`);
    expect(answer.json.errors[0].extensions.code).toBe('MAX_COST_EXCEEDED');
    expect(answer.json.extensions.cost.requestedQueryCost).toBeGreaterThan(1000);
    expect(sb.throttleStatus().currentlyAvailable).toBe(1000);
  });

  it('answers THROTTLED with HTTP 200 and no Retry-After when the bucket is drained, and recovers at the restore rate', async () => {
    const sb = await start({ costBudget: { maximumAvailable: 100, restoreRate: 100 } });
    sb.drainCostBucket(0);
    const query = '{ productVariants(first: 10) { nodes { sku } } }'; // 2 + 10 × 1
    const throttled = await gql(sb, query);
    expect(throttled.status).toBe(200);
    expect(throttled.headers.get('retry-after')).toBeNull();
    expect(throttled.json.errors).toEqual([{ message: 'Throttled', extensions: expect.objectContaining({ code: 'THROTTLED' }) }]);
    expect(throttled.json.data).toBeUndefined();
    expect(throttled.json.extensions.cost).toMatchObject({ requestedQueryCost: 12, actualQueryCost: null });
    expect(throttled.json.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(12);
    // (12 − available) / 100 per second is under 120 ms.
    await new Promise((r) => setTimeout(r, 150));
    const ok = await gql(sb, query);
    expect(ok.json.errors).toBeUndefined();
    expect(ok.json.data.productVariants.nodes).toHaveLength(10);
    // The bucket is maplecart's published limit: the refused request is counted as over it.
    expect(sb.stats().overLimit).toBe(1);
  });

  it('enforces a published request limit at the edge when given one: 429 + Retry-After, counted as over the limit', async () => {
    const sb = await start({ publishedLimit: { limit: 2, perSeconds: 30 } });
    sb.setFaults({ throttle: { count: 1, retryAfterSeconds: 1 } });
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await gql(sb, '{ shop { name } }'));
    // The knob's THROTTLED is a fault, not an over-limit request; the third and fourth exceed 2 per 30 s.
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429, 429]);
    expect(answers[0]!.json.errors[0].extensions.code).toBe('THROTTLED');
    expect(Number(answers[2]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
    expect(sb.stats()).toMatchObject({ total: 4, overLimit: 2 });
    sb.resetStats();
    expect(sb.stats().overLimit).toBe(0);
  });

  it('turns the throttle knob into THROTTLED answers carrying Retry-After', async () => {
    const sb = await start();
    sb.setFaults({ throttle: { count: 1, retryAfterSeconds: 2 } });
    const throttled = await gql(sb, '{ shop { name } }');
    expect(throttled.json.errors[0].extensions.code).toBe('THROTTLED');
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect((await gql(sb, '{ shop { name } }')).json.data.shop.name).toBe('maplecart');
  });
});

describe('maplecart sandbox: catalog and stock search', () => {
  it('pages every variant with opaque cursors, SKUs lower-case mc-<handle>-<n>, barcodes EAN-13, costs in CAD', async () => {
    const sb = await start();
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const answer = await gql(sb, `query($after: String) { productVariants(first: 40, after: $after) { nodes { sku barcode inventoryItem { unitCost { amount currencyCode } } } pageInfo { hasNextPage endCursor } } }`, { after });
      const page = answer.json.data.productVariants;
      for (const node of page.nodes) {
        expect(node.sku).toMatch(/^mc-[a-z0-9-]+-\d+$/);
        expect(node.barcode).toMatch(/^\d{13}$/);
        expect(node.inventoryItem.unitCost.currencyCode).toBe('CAD');
        expect(node.inventoryItem.unitCost.amount).toMatch(/^\d+\.\d{1,2}$/);
        seen.push(node.sku);
      }
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(sb.supplierSkus());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('finds variants by sku search, sums nothing itself, and records the batch size', async () => {
    const sb = await start();
    const skus = sb.supplierSkus().slice(5, 9);
    sb.resetStats();
    const answer = await gql(sb, `query($q: String!) { productVariants(first: 10, query: $q) { nodes { sku inventoryItem { inventoryLevels(first: 5) { nodes { location { name } quantities(names: ["available"]) { name quantity } } } } } } }`, {
      q: [...skus.map((s) => `sku:"${s}"`), 'sku:NO-SUCH-SKU-000'].join(' OR '),
    });
    const nodes = answer.json.data.productVariants.nodes;
    expect(nodes.map((n: { sku: string }) => n.sku)).toEqual(skus);
    for (const node of nodes) {
      const levels = node.inventoryItem.inventoryLevels.nodes;
      expect(levels.map((l: { location: { name: string } }) => l.location.name)).toEqual(['Mississauga DC', 'Vancouver DC']);
      const sum = levels.reduce((n: number, l: { quantities: { quantity: number }[] }) => n + l.quantities[0]!.quantity, 0);
      expect(sum).toBe(sb.stockOf(node.sku));
    }
    expect(sb.stats()).toEqual({ total: 1, byOperation: { productVariants: 1 }, maxStockBatch: 5, overLimit: 0 });
  });

  it('refuses more than 50 search terms of one field in one query', async () => {
    const sb = await start();
    const q = sb.supplierSkus().slice(0, 51).map((s) => `sku:${s}`).join(' OR ');
    const answer = await gql(sb, `query($q: String!) { productVariants(first: 51, query: $q) { nodes { sku } } }`, { q });
    expect(answer.json.errors[0].extensions.code).toBe('MAX_SEARCH_TERMS_EXCEEDED');
    // 50 SKUs narrowed by one more field stay within the cap.
    const narrowed = `product_status:active AND (${sb.supplierSkus().slice(0, 50).map((s) => `sku:${s}`).join(' OR ')})`;
    const ok = await gql(sb, `query($q: String!) { productVariants(first: 50, query: $q) { nodes { sku } } }`, { q: narrowed });
    expect(ok.json.errors).toBeUndefined();
    expect(ok.json.data.productVariants.nodes.length).toBeGreaterThan(45);
  });

  it('gives each variant its total available over locations as inventoryQuantity, negative when oversold', async () => {
    const sb = await start();
    const skus = sb.supplierSkus().slice(0, 12);
    sb.driftStock(skus[5]!, -4);
    const answer = await gql(sb, `query($q: String!) { productVariants(first: 12, query: $q) { nodes { sku inventoryQuantity inventoryItem { inventoryLevels(first: 5) { nodes { quantities(names: ["available"]) { quantity } } } } } } }`, {
      q: skus.map((s) => `sku:"${s}"`).join(' OR '),
    });
    const nodes = answer.json.data.productVariants.nodes as { sku: string; inventoryQuantity: number; inventoryItem: { inventoryLevels: { nodes: { quantities: { quantity: number }[] }[] } } }[];
    expect(nodes).toHaveLength(12);
    for (const node of nodes) {
      const sum = node.inventoryItem.inventoryLevels.nodes.reduce((n, l) => n + l.quantities[0]!.quantity, 0);
      expect(node.inventoryQuantity).toBe(sum);
      expect(Math.max(0, node.inventoryQuantity)).toBe(sb.stockOf(node.sku));
    }
    expect(nodes.find((n) => n.sku === skus[5])!.inventoryQuantity).toBe(-4);
  });

  it('searches with Shopify grouping: product_status (comma lists too) AND ( sku OR sku ), refusing unbalanced parentheses', async () => {
    const sb = await start();
    const skus = sb.supplierSkus().slice(28, 34); // holds mc-…-40, the universe's first archived product
    const archived = skus.filter((s) => s.endsWith('-40'));
    expect(archived).toHaveLength(1);
    const search = async (q: string) => gql(sb, `query($q: String!) { productVariants(first: 10, query: $q) { nodes { sku product { status } } } }`, { q });
    const any = `(${skus.map((s) => `sku:"${s}"`).join(' OR ')})`;
    const onlyArchived = await search(`product_status:archived AND ${any}`);
    expect(onlyArchived.json.data.productVariants.nodes).toEqual([{ sku: archived[0], product: { status: 'ARCHIVED' } }]);
    const others = await search(`product_status:active,draft ${any}`);
    expect(others.json.data.productVariants.nodes.map((n: { sku: string }) => n.sku)).toEqual(skus.filter((s) => s !== archived[0]));
    // Without the parentheses AND binds tighter: the status narrows only the first SKU.
    const loose = await search(`product_status:archived AND ${any.slice(1, -1)}`);
    expect(loose.json.data.productVariants.nodes).toHaveLength(skus.length - 1);
    for (const bad of [`(sku:"${skus[0]}"`, `sku:"${skus[0]}")`, '()', 'sku:a OR']) {
      const refused = await search(bad);
      expect(refused.json.errors[0].extensions.code, bad).toBe('BAD_REQUEST');
    }
  });

  it('charges aliased connections each their own 2 + first × node', async () => {
    const sb = await start();
    const q = sb.supplierSkus().slice(0, 50).map((s) => `sku:"${s}"`).join(' OR ');
    const answer = await gql(
      sb,
      `query($q: String!, $a: String!) {
        productVariants(first: 50, query: $q) { nodes { sku inventoryQuantity inventoryPolicy updatedAt inventoryItem { unitCost { amount currencyCode } } } }
        archived: productVariants(first: 5, query: $a) { nodes { sku } pageInfo { hasNextPage endCursor } }
      }`,
      { q, a: `product_status:archived AND (${q})` },
    );
    expect(answer.json.data.archived.nodes).toHaveLength(1);
    expect(answer.json.extensions.cost).toMatchObject({ requestedQueryCost: 2 + 50 * 3 + 2 + 5, actualQueryCost: 2 + 50 * 3 + 2 + 1 });
    expect(sb.stats().maxStockBatch).toBe(50);
  });
});

describe('maplecart sandbox: orders', () => {
  it('creates an order once per @idempotent key, replaying the original on a repeat', async () => {
    const sb = await start();
    const sku = sb.supplierSkus().find((s) => (sb.stockOf(s) ?? 0) > 10)!;
    const before = sb.stockOf(sku)!;
    const variables = { order: orderInput(sku, 3, 'PO-IDEM-1'), key: 'PO-IDEM-1' };
    const first = await gql(sb, CREATE, variables);
    const second = await gql(sb, CREATE, variables);
    expect(first.json.data.orderCreate.userErrors).toEqual([]);
    expect(second.json.data.orderCreate.order.id).toBe(first.json.data.orderCreate.order.id);
    expect(first.json.extensions.idempotency).toEqual({ key: 'PO-IDEM-1', replayed: false });
    expect(second.json.extensions.idempotency).toEqual({ key: 'PO-IDEM-1', replayed: true });
    expect(sb.orders()).toHaveLength(1);
    expect(sb.stockOf(sku)).toBe(before - 3);

    const mismatch = await gql(sb, CREATE, { order: orderInput(sku, 4, 'PO-IDEM-1'), key: 'PO-IDEM-1' });
    expect(mismatch.json.data.orderCreate).toEqual({ order: null, userErrors: [expect.objectContaining({ code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH' })] });
    const taken = await gql(sb, CREATE, { order: orderInput(sku, 3, 'PO-IDEM-1'), key: 'another-key' });
    expect(taken.json.data.orderCreate.userErrors).toEqual([expect.objectContaining({ code: 'TAKEN', field: ['order', 'sourceIdentifier'] })]);
    expect(sb.orders()).toHaveLength(1);
  });

  it('refuses more than a DENY item has, and unknown SKUs, as userErrors', async () => {
    const sb = await start();
    const sku = sb.supplierSkus().find((s) => sb.stockOf(s) === 0 && !s.endsWith('5'))!;
    const answer = await gql(sb, `mutation($order: OrderCreateOrderInput!) { orderCreate(order: $order, options: { inventoryBehaviour: DECREMENT_OBEYING_POLICY }) { order { id } userErrors { code } } }`, {
      order: { sourceIdentifier: 'PO-X', lineItems: [{ sku, quantity: 1 }, { sku: 'mc-nope-1', quantity: 1 }] },
    });
    expect(answer.json.data.orderCreate.order).toBeNull();
    expect(answer.json.data.orderCreate.userErrors.map((e: { code: string }) => e.code).sort()).toEqual(['INVENTORY_NOT_AVAILABLE', 'PRODUCT_VARIANT_NOT_FOUND']);
    expect(sb.orders()).toHaveLength(0);
  });

  it('reports Shopify statuses and tracking, finds orders by source_identifier, and cancels only unfulfilled orders', async () => {
    const sb = await start();
    const [a, b] = sb.supplierSkus().filter((s) => (sb.stockOf(s) ?? 0) > 10);
    const created = await gql(sb, CREATE, { order: orderInput(a!, 2, 'PO-LIFE-1'), key: 'PO-LIFE-1' });
    const id = created.json.data.orderCreate.order.id as string;
    const STATUS = `query($id: ID!) { order(id: $id) { displayFulfillmentStatus cancelledAt fulfillmentOrders(first: 1) { nodes { status fulfillmentHolds { reason } } } fulfillments(first: 5) { trackingInfo(first: 1) { company number url } } } }`;
    expect((await gql(sb, STATUS, { id })).json.data.order.displayFulfillmentStatus).toBe('UNFULFILLED');
    sb.advanceOrder(id, 'backordered');
    const held = (await gql(sb, STATUS, { id })).json.data.order;
    expect(held.displayFulfillmentStatus).toBe('ON_HOLD');
    expect(held.fulfillmentOrders.nodes[0]).toEqual({ status: 'ON_HOLD', fulfillmentHolds: [{ reason: 'INVENTORY_OUT_OF_STOCK' }] });
    sb.advanceOrder(id, 'shipped');
    const shipped = (await gql(sb, STATUS, { id })).json.data.order;
    expect(shipped.displayFulfillmentStatus).toBe('FULFILLED');
    expect(shipped.fulfillments[0].trackingInfo[0]).toEqual({ company: expect.any(String), number: expect.stringMatching(/^\S+$/), url: expect.stringMatching(/^https:\/\//) });

    const CANCEL = `mutation($id: ID!) { orderCancel(orderId: $id, reason: OTHER, refund: true, restock: true) { job { done } orderCancelUserErrors { code message } } }`;
    expect((await gql(sb, CANCEL, { id })).json.data.orderCancel).toEqual({ job: null, orderCancelUserErrors: [{ code: 'INVALID', message: expect.any(String) }] });

    const before = sb.stockOf(b!)!;
    const open = await gql(sb, CREATE, { order: orderInput(b!, 4, 'PO-LIFE-2'), key: 'PO-LIFE-2' });
    expect(sb.stockOf(b!)).toBe(before - 4);
    const openId = open.json.data.orderCreate.order.id as string;
    expect((await gql(sb, CANCEL, { id: openId })).json.data.orderCancel).toEqual({ job: { done: true }, orderCancelUserErrors: [] });
    expect(sb.stockOf(b!)).toBe(before);
    const found = await gql(sb, `{ orders(first: 2, query: "source_identifier:\\"PO-LIFE-2\\"") { nodes { id cancelledAt displayFulfillmentStatus } } }`);
    expect(found.json.data.orders.nodes).toEqual([{ id: openId, cancelledAt: expect.any(String), displayFulfillmentStatus: 'RESTOCKED' }]);
    expect((await gql(sb, `{ orders(first: 1, query: "source_identifier:PO-NEVER") { nodes { id } } }`)).json.data.orders.nodes).toEqual([]);
    expect((await gql(sb, `{ order(id: "gid://shopify/Order/1") { id } }`)).json.data.order).toBeNull();
  });
});

describe('maplecart sandbox: fault knobs', () => {
  it('answers 5xx, drops the connection, truncates bodies and rejects on demand', async () => {
    const sb = await start();
    sb.setFaults({ errorRate: 1 });
    expect([502, 503]).toContain((await gql(sb, '{ shop { name } }')).status);
    sb.resetFaults();

    sb.setFaults({ down: true });
    await expect(gql(sb, '{ shop { name } }')).rejects.toThrow();
    sb.resetFaults();

    sb.setFaults({ malformedRate: 1 });
    const malformed = await gql(sb, '{ shop { name } }');
    expect(malformed.status).toBe(200);
    expect(malformed.json).toBeUndefined();
    sb.resetFaults();

    sb.setFaults({ rejectRate: 1 });
    expect((await gql(sb, '{ shop { name } }')).json.errors[0].extensions.code).toBe('BAD_REQUEST');
    const sku = sb.supplierSkus()[0]!;
    const rejected = await gql(sb, CREATE, { order: orderInput(sku, 1, 'PO-REJ'), key: 'PO-REJ' });
    expect(rejected.json.data.orderCreate).toEqual({ order: null, userErrors: [expect.objectContaining({ code: 'INVALID' })] });
    expect(sb.orders()).toHaveLength(0);
  });

  it('serves the control routes over HTTP, unaffected by fault knobs', async () => {
    const sb = await start();
    const post = (path: string, body: unknown) => fetch(`${sb.url}/__sandbox/${path}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('faults', { down: true })).status).toBe(204);
    await expect(gql(sb, '{ shop { name } }')).rejects.toThrow();
    expect((await fetch(`${sb.url}/__sandbox/stats`)).status).toBe(200);
    expect((await post('reset-faults', {})).status).toBe(204);
    expect((await post('reset-stats', {})).status).toBe(204);
    expect(await (await fetch(`${sb.url}/__sandbox/stats`)).json()).toEqual({ total: 0, byOperation: {}, maxStockBatch: 0, overLimit: 0 });
    const sku = sb.supplierSkus()[1]!;
    expect((await post('drift', { sku, available: 7 })).status).toBe(204);
    expect(sb.stockOf(sku)).toBe(7);
    expect((await post('drift', { sku })).status).toBe(400);
    expect((await post('stock', { supplierSku: sku, available: 9 })).status).toBe(204);
    expect(await (await fetch(`${sb.url}/__sandbox/stock`)).json()).toContainEqual({ sku, available: 9 });
    expect(await (await fetch(`${sb.url}/__sandbox/orders`)).json()).toEqual([]);
  });
});

describe('maplecart sandbox: webhooks', () => {
  interface Delivery {
    headers: IncomingHttpHeaders;
    raw: Buffer;
  }

  async function listen(): Promise<{ url: string; deliveries: Delivery[] }> {
    const deliveries: Delivery[] = [];
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, raw: Buffer.concat(chunks) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, deliveries };
  }

  const verifies = (secret: string, d: Delivery): boolean => {
    const expected = createHmac('sha256', secret).update(d.raw).digest();
    const given = Buffer.from(String(d.headers['x-shopify-hmac-sha256']), 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  it('signs inventory_levels/update with a base64 HMAC-SHA256 of the raw body; silent drift sends nothing', async () => {
    const hooks = await listen();
    const sb = await start({ webhookUrl: hooks.url });
    const sku = sb.supplierSkus()[2]!;
    sb.driftStock(sku, 11);
    await sb.webhooksIdle();
    expect(hooks.deliveries).toHaveLength(0);

    sb.setStock(sku, 42);
    await sb.webhooksIdle();
    expect(hooks.deliveries.length).toBeGreaterThan(0);
    for (const d of hooks.deliveries) {
      expect(d.headers['x-shopify-topic']).toBe('inventory_levels/update');
      expect(d.headers['x-shopify-shop-domain']).toBe('maplecart.myshopify.com');
      expect(Number.isNaN(Date.parse(String(d.headers['x-shopify-triggered-at'])))).toBe(false);
      expect(verifies(sb.webhookSecret!, d)).toBe(true);
      // One flipped byte must break the signature: the check covers the bytes, not a re-serialisation.
      expect(verifies(sb.webhookSecret!, { ...d, raw: Buffer.concat([d.raw, Buffer.from(' ')]) })).toBe(false);
    }
    const ids = hooks.deliveries.map((d) => d.headers['x-shopify-webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
    const first = JSON.parse(hooks.deliveries[0]!.raw.toString('utf8'));
    expect(first).toMatchObject({ inventory_item_id: expect.any(Number), location_id: expect.any(Number), available: 42 });
    expect(sb.stockOf(sku)).toBe(42);
  });

  it('sends orders/updated on order changes and fulfillments/create with tracking on shipment', async () => {
    const hooks = await listen();
    const sb = await start({ webhookUrl: hooks.url });
    const sku = sb.supplierSkus().find((s) => (sb.stockOf(s) ?? 0) > 10)!;
    const created = await gql(sb, CREATE, { order: orderInput(sku, 2, 'PO-HOOK-1'), key: 'PO-HOOK-1' });
    sb.advanceOrder(created.json.data.orderCreate.order.id, 'shipped');
    await sb.webhooksIdle();
    const topics = hooks.deliveries.map((d) => d.headers['x-shopify-topic']);
    expect(topics).toContain('orders/updated');
    expect(topics).toContain('fulfillments/create');
    expect(topics).toContain('inventory_levels/update');
    expect(hooks.deliveries.every((d) => verifies(sb.webhookSecret!, d))).toBe(true);
    const fulfillment = JSON.parse(hooks.deliveries.find((d) => d.headers['x-shopify-topic'] === 'fulfillments/create')!.raw.toString('utf8'));
    expect(fulfillment).toMatchObject({ tracking_company: expect.any(String), tracking_number: expect.any(String), line_items: [{ sku, quantity: 2 }] });
    const lastOrder = JSON.parse(hooks.deliveries.filter((d) => d.headers['x-shopify-topic'] === 'orders/updated').at(-1)!.raw.toString('utf8'));
    expect(lastOrder).toMatchObject({ source_identifier: 'PO-HOOK-1', fulfillment_status: 'fulfilled' });
  });
});
