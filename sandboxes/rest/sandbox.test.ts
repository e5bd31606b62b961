/** Wire-level checks of the Brightline sandbox itself, with plain fetch: no connector code involved. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestSandbox, type RestSandbox, type RestSandboxOptions } from './index.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

async function start(options: RestSandboxOptions = {}): Promise<RestSandbox> {
  const sandbox = await createRestSandbox({ seed: 1, ...options });
  open.push(sandbox);
  return sandbox;
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function grant(sandbox: RestSandbox, init: { authorization?: string; form?: Record<string, string> } = {}) {
  const { clientId, clientSecret } = sandbox.credentials;
  return fetch(`${sandbox.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: init.authorization ?? basic(clientId, clientSecret) },
    body: new URLSearchParams(init.form ?? { grant_type: 'client_credentials' }).toString(),
  });
}

async function tokenFor(sandbox: RestSandbox): Promise<string> {
  return ((await (await grant(sandbox)).json()) as { access_token: string }).access_token;
}

function api(sandbox: RestSandbox, token: string, method: string, path: string, body?: unknown) {
  return fetch(`${sandbox.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const shipTo = { name: 'Ada Lovelace', address1: '12 Analytical Row', city: 'Portland', state: 'OR', postalCode: '97201', country: 'US' };
const orderBody = (customerOrderNumber: string, lines: { itemNumber: string; quantity: number }[]) => ({
  customerOrderNumber,
  shipTo,
  lines: lines.map((l, i) => ({ lineNumber: i + 1, ...l })),
});

interface WireOrder {
  orderId: string;
  status: string;
  lines: { itemNumber: string; quantityOrdered: number; quantityShipped: number; quantityBackordered: number; quantityCancelled: number }[];
  shipments: { carrier: string; trackingNumber: string; lines: { quantity: number }[] }[];
}

describe('brightline sandbox: OAuth2 client credentials', () => {
  it('grants a bearer token with HTTP Basic or form credentials, not counted as an API call', async () => {
    const sandbox = await start();
    const viaBasic = await grant(sandbox);
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.headers.get('cache-control')).toBe('no-store');
    expect(await viaBasic.json()).toMatchObject({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    const { clientId, clientSecret } = sandbox.credentials;
    const viaForm = await grant(sandbox, { authorization: '', form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } });
    expect(viaForm.status).toBe(200);
    expect(sandbox.stats()).toMatchObject({ total: 0, byOperation: { token: 2 } });
  });

  it('refuses a wrong secret with 401 invalid_client and an unknown grant type with 400', async () => {
    const sandbox = await start();
    const wrong = await grant(sandbox, { authorization: basic(sandbox.credentials.clientId, 'nope') });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    const badGrant = await grant(sandbox, { form: { grant_type: 'password' } });
    expect(badGrant.status).toBe(400);
    expect(await badGrant.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('rotates a client secret: accepts a second one, then refuses the retired one and revokes its tokens', async () => {
    const sandbox = await start();
    const { clientId, clientSecret: old } = sandbox.credentials;
    const oldToken = await tokenFor(sandbox);
    sandbox.acceptClientSecret('second-secret');
    const viaNew = await grant(sandbox, { authorization: basic(clientId, 'second-secret') });
    expect(viaNew.status).toBe(200);
    const newToken = ((await viaNew.json()) as { access_token: string }).access_token;
    expect((await grant(sandbox)).status).toBe(200); // the old one still works during the rotation
    expect(sandbox.tokenGrants(old)).toEqual({ granted: 2, refused: 0 });
    expect(sandbox.tokenGrants('second-secret').granted).toBe(1);

    sandbox.retireClientSecret(old);
    expect((await grant(sandbox)).status).toBe(401);
    expect(sandbox.tokenGrants(old)).toEqual({ granted: 2, refused: 1 });
    expect((await api(sandbox, oldToken, 'GET', '/v1/health')).status).toBe(401);
    expect((await api(sandbox, newToken, 'GET', '/v1/health')).status).toBe(200);
    expect(() => sandbox.retireClientSecret('never-accepted')).toThrow();
  });

  it('answers 401 for a missing, unknown or expired token', async () => {
    const sandbox = await start({ tokenTtlSeconds: 1 });
    const token = await tokenFor(sandbox);
    expect((await api(sandbox, token, 'GET', '/v1/health')).status).toBe(200);
    const missing = await fetch(`${sandbox.url}/v1/health`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await api(sandbox, 'forged', 'GET', '/v1/health')).status).toBe(401);
    await new Promise((r) => setTimeout(r, 1_100));
    const expired = await api(sandbox, token, 'GET', '/v1/health');
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: { code: 'INVALID_TOKEN', message: 'The access token expired' } });
  });
});

describe('brightline sandbox: availability and catalog', () => {
  it('reports stock per warehouse, price breaks as decimal strings, and unknown parts in notFound', async () => {
    const sandbox = await start();
    const token = await tokenFor(sandbox);
    const [a, b] = sandbox.supplierSkus();
    const response = await api(sandbox, token, 'POST', '/v1/availability', { partNumbers: [a, b, 'BL-999999'] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { timestamp: string; results: { partNumber: string; warehouses: { quantityAvailable: number }[]; pricing: { currency: string; breaks: { unitPrice: unknown }[] } }[]; notFound: string[] };
    expect(body.notFound).toEqual(['BL-999999']);
    expect(body.results.map((r) => r.partNumber)).toEqual([a, b]);
    for (const r of body.results) {
      expect(r.warehouses.reduce((n, w) => n + w.quantityAvailable, 0)).toBe(sandbox.stockOf(r.partNumber));
      expect(r.pricing.currency).toBe('USD');
      for (const tier of r.pricing.breaks) expect(tier.unitPrice).toMatch(/^\d+\.\d{4}$/);
    }
    expect(sandbox.stats()).toMatchObject({ total: 1, byOperation: { availability: 1 }, maxStockBatch: 3 });
  });

  it('refuses more than 50 part numbers with 400, recording the batch size it was asked for', async () => {
    const sandbox = await start();
    const token = await tokenFor(sandbox);
    const skus = sandbox.supplierSkus().slice(0, 51);
    const response = await api(sandbox, token, 'POST', '/v1/availability', { partNumbers: skus });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'TOO_MANY_PARTS', limit: 50 } });
    expect(sandbox.stats().maxStockBatch).toBe(51);
    expect((await api(sandbox, token, 'POST', '/v1/availability', { partNumbers: skus.slice(0, 50) })).status).toBe(200);
  });

  it('pages the catalog with opaque tokens (default 50 per page) and refuses a forged token', async () => {
    const sandbox = await start();
    const token = await tokenFor(sandbox);
    const seen: string[] = [];
    let pageToken: string | null = null;
    let pages = 0;
    do {
      const query: string = pageToken ? `?pageToken=${encodeURIComponent(pageToken)}` : '';
      const page = (await (await api(sandbox, token, 'GET', `/v1/catalog${query}`)).json()) as { items: { itemNumber: string; upc: string | null }[]; nextPageToken: string | null };
      if (pageToken === null) expect(page.items).toHaveLength(50);
      seen.push(...page.items.map((i) => i.itemNumber));
      pageToken = page.nextPageToken;
      pages += 1;
    } while (pageToken);
    expect(pages).toBe(Math.ceil(sandbox.supplierSkus().length / 50));
    expect(seen).toEqual(sandbox.supplierSkus());
    expect(seen.every((sku) => /^BL-\d{6}$/.test(sku))).toBe(true);
    const forged = await api(sandbox, token, 'GET', '/v1/catalog?pageToken=bm90LWEtdG9rZW4');
    expect(forged.status).toBe(400);
    expect((await api(sandbox, token, 'GET', '/v1/catalog?pageSize=101')).status).toBe(400);
  });
});

describe('brightline sandbox: orders', () => {
  it('books a customer order number once: a repeat answers 409 with the existing order id', async () => {
    const sandbox = await start();
    const token = await tokenFor(sandbox);
    const sku = sandbox.supplierSkus()[0]!;
    const stockBefore = sandbox.stockOf(sku)!;
    const first = await api(sandbox, token, 'POST', '/v1/orders', orderBody('PO-1001', [{ itemNumber: sku, quantity: 2 }]));
    expect(first.status).toBe(201);
    const created = (await first.json()) as WireOrder;
    expect(first.headers.get('location')).toBe(`/v1/orders/${created.orderId}`);
    expect(created.status).toBe('OPEN');
    const repeat = await api(sandbox, token, 'POST', '/v1/orders', orderBody('PO-1001', [{ itemNumber: sku, quantity: 2 }]));
    expect(repeat.status).toBe(409);
    expect(await repeat.json()).toMatchObject({ error: { code: 'DUPLICATE_CUSTOMER_ORDER_NUMBER', orderId: created.orderId } });
    expect(sandbox.orders()).toHaveLength(1);
    expect(sandbox.stockOf(sku)).toBe(stockBefore - 2);
    const found = await api(sandbox, token, 'GET', '/v1/orders?customerOrderNumber=PO-1001');
    expect(((await found.json()) as WireOrder).orderId).toBe(created.orderId);
    expect((await api(sandbox, token, 'GET', '/v1/orders?customerOrderNumber=PO-404')).status).toBe(404);
    expect((await api(sandbox, token, 'GET', '/v1/orders/SO0')).status).toBe(404);
  });

  it('refuses an order with unknown items or a missing address with 400 and field errors', async () => {
    const sandbox = await start();
    const token = await tokenFor(sandbox);
    const unknown = await api(sandbox, token, 'POST', '/v1/orders', orderBody('PO-2', [{ itemNumber: 'BL-000000', quantity: 1 }]));
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: 'INVALID_ORDER', fieldErrors: [{ field: 'lines.0.itemNumber' }] } });
    const noAddress = await api(sandbox, token, 'POST', '/v1/orders', { customerOrderNumber: 'PO-3', lines: [{ lineNumber: 1, itemNumber: sandbox.supplierSkus()[0], quantity: 1 }] });
    expect(noAddress.status).toBe(400);
    expect(sandbox.orders()).toHaveLength(0);
  });

  it('backorders what stock cannot cover, ships part, then the rest, and refuses to cancel once shipped', async () => {
    const sandbox = await start();
    const token = await tokenFor(sandbox);
    const sku = sandbox.supplierSkus()[3]!;
    sandbox.driftStock(sku, 4);
    const created = (await (await api(sandbox, token, 'POST', '/v1/orders', orderBody('PO-BO', [{ itemNumber: sku, quantity: 10 }]))).json()) as WireOrder;
    expect(created.status).toBe('BACKORDERED');
    expect(created.lines[0]).toMatchObject({ quantityOrdered: 10, quantityBackordered: 6, quantityShipped: 0 });
    expect(sandbox.stockOf(sku)).toBe(0);

    sandbox.advanceOrder(created.orderId, 'partially_shipped');
    const partial = (await (await api(sandbox, token, 'GET', `/v1/orders/${created.orderId}`)).json()) as WireOrder;
    expect(partial.status).toBe('PARTIALLY_SHIPPED');
    expect(partial.lines[0]).toMatchObject({ quantityShipped: 4, quantityBackordered: 6 });
    expect(partial.shipments).toHaveLength(1);
    expect(partial.shipments[0]!.trackingNumber.length).toBeGreaterThan(8);

    const refused = await api(sandbox, token, 'POST', `/v1/orders/${created.orderId}/cancel`);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'ORDER_NOT_CANCELLABLE' } });

    sandbox.advanceOrder(created.orderId, 'shipped');
    const shipped = (await (await api(sandbox, token, 'GET', `/v1/orders/${created.orderId}`)).json()) as WireOrder;
    expect(shipped.status).toBe('SHIPPED');
    expect(shipped.lines[0]).toMatchObject({ quantityShipped: 10, quantityBackordered: 0 });
    expect(shipped.shipments.flatMap((s) => s.lines).reduce((n, l) => n + l.quantity, 0)).toBe(10);
  });

  it('cancels an open order and puts its stock back', async () => {
    const sandbox = await start();
    const token = await tokenFor(sandbox);
    const sku = sandbox.supplierSkus()[0]!;
    const before = sandbox.stockOf(sku)!;
    const created = (await (await api(sandbox, token, 'POST', '/v1/orders', orderBody('PO-C', [{ itemNumber: sku, quantity: 3 }]))).json()) as WireOrder;
    const cancelled = await api(sandbox, token, 'POST', `/v1/orders/${created.orderId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: 'CANCELLED', lines: [{ quantityCancelled: 3 }] });
    expect(sandbox.stockOf(sku)).toBe(before);
  });
});

describe('brightline sandbox: faults', () => {
  it('throttles with 429 and Retry-After, counting every API call', async () => {
    const sandbox = await start();
    const token = await tokenFor(sandbox);
    sandbox.setFaults({ throttle: { count: 1, retryAfterSeconds: 7 } });
    const throttled = await api(sandbox, token, 'GET', '/v1/health');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(await throttled.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect((await api(sandbox, token, 'GET', '/v1/health')).status).toBe(200);
    expect(sandbox.stats().total).toBe(2);
  });

  it('refuses API calls over its published limit with 429 + Retry-After and counts them, token grants exempt', async () => {
    const sandbox = await start({ publishedLimit: { limit: 2, perSeconds: 60 } });
    const token = await tokenFor(sandbox);
    await tokenFor(sandbox);
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await api(sandbox, token, 'GET', '/v1/health')).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    const refused = await api(sandbox, token, 'POST', '/v1/availability', { partNumbers: [sandbox.supplierSkus()[0]] });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect(await refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(sandbox.stats()).toMatchObject({ total: 5, overLimit: 3 });
    const overHttp = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as { overLimit: number };
    expect(overHttp.overLimit).toBe(3);
  });

  it('answers 503 for errorRate, 400 for rejectRate, and truncates 200 bodies for malformedRate', async () => {
    const sandbox = await start();
    const token = await tokenFor(sandbox);
    sandbox.setFaults({ errorRate: 1 });
    expect((await api(sandbox, token, 'GET', '/v1/health')).status).toBe(503);
    sandbox.setFaults({ errorRate: 0, rejectRate: 1 });
    expect((await api(sandbox, token, 'GET', '/v1/health')).status).toBe(400);
    sandbox.setFaults({ rejectRate: 0, malformedRate: 1 });
    const mangled = await api(sandbox, token, 'GET', '/v1/catalog');
    expect(mangled.status).toBe(200);
    await expect(mangled.clone().json()).rejects.toThrow();
    // Token grants are exempt from every fault but `down`.
    sandbox.setFaults({ errorRate: 1, throttle: { count: 5, retryAfterSeconds: 1 } });
    expect((await grant(sandbox)).status).toBe(200);
  });

  it('drops connections while down, and still obeys its control routes', async () => {
    const sandbox = await start();
    const token = await tokenFor(sandbox);
    const control = (path: string, body?: unknown) =>
      fetch(`${sandbox.url}/__sandbox/${path}`, { method: body === undefined ? 'GET' : 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    expect((await control('faults', { down: true })).status).toBe(204);
    await expect(api(sandbox, token, 'GET', '/v1/health')).rejects.toThrow();
    await expect(grant(sandbox)).rejects.toThrow();
    expect((await control('reset-faults', {})).status).toBe(204);
    expect((await api(sandbox, token, 'GET', '/v1/health')).status).toBe(200);
    const sku = sandbox.supplierSkus()[0]!;
    expect((await control('drift', { sku, available: 9 })).status).toBe(204);
    expect(sandbox.stockOf(sku)).toBe(9);
    expect(await (await control('stats')).json()).toMatchObject({ total: 1, byOperation: { health: 1 } });
    expect((await control('faults', { latencyMs: 'slow' })).status).toBe(400);
  });
});

describe('brightline sandbox: webhooks', () => {
  async function startReceiver() {
    const received: { headers: Record<string, string | string[] | undefined>; raw: string }[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
  }

  /** What a receiver does: recompute HMAC-SHA512 over `${t}.${rawBody}` and compare in constant time. */
  function verify(secret: string, header: string, raw: string): boolean {
    const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
    const expected = createHmac('sha512', secret).update(`${parts['t']}.${raw}`).digest();
    const given = Buffer.from(parts['v1'] ?? '', 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  it('signs stock and order events with HMAC-SHA512; a silent drift sends nothing', async () => {
    const receiver = await startReceiver();
    const sandbox = await start({ webhookUrl: receiver.url, webhookSecret: 'whsec_test' });
    const [drifted, moved] = sandbox.supplierSkus();
    sandbox.driftStock(drifted!, 1);
    sandbox.setStock(moved!, 42);
    const token = await tokenFor(sandbox);
    const created = (await (await api(sandbox, token, 'POST', '/v1/orders', orderBody('PO-WH', [{ itemNumber: moved!, quantity: 1 }]))).json()) as WireOrder;
    sandbox.advanceOrder(created.orderId, 'shipped');
    await sandbox.webhooksIdle();

    expect(receiver.received).toHaveLength(2);
    const [stock, order] = receiver.received.map((r) => ({ ...r, event: JSON.parse(r.raw) as { type: string; data: Record<string, unknown> } }));
    expect(stock!.event).toMatchObject({ type: 'inventory.updated', data: { partNumber: moved, warehouses: expect.any(Array) } });
    expect(order!.event).toMatchObject({ type: 'order.status_changed', data: { orderId: created.orderId, status: 'SHIPPED', previousStatus: 'OPEN' } });
    for (const r of [stock!, order!]) {
      const signature = String(r.headers['x-brightline-signature']);
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{128}$/);
      expect(verify('whsec_test', signature, r.raw)).toBe(true);
      expect(verify('whsec_other', signature, r.raw)).toBe(false);
      expect(verify('whsec_test', signature, r.raw.replace('}', ' }'))).toBe(false);
      expect(r.headers['x-brightline-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.headers['x-brightline-event']).toBe(r.event.type);
    }
  });
});
