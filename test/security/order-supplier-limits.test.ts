/**
 * A partner limited to some suppliers (token `suppliers`) orders through the gateway on a real stack in
 * AUTH_MODE=required: routing and placement stay inside its suppliers even where the deployment's routing policy
 * (ORDER_ROUTING_POLICY) prefers another one; a line none of its suppliers carries is refused before anything is
 * written or sent. The principal reaches the orders subgraph only in the gateway's signed header.
 * Also: the outbound webhook delivery log (endpoints from ORDER_WEBHOOK_ENDPOINTS) is for operators only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newProduct } from '../contract/catalog-store.contract.ts';
import { startSecureStack, type SecureStack } from './support.ts';

const SHIP_TO = { name: 'Grace Hopper', line1: '1 Navy Yard', city: 'Arlington', region: 'VA', postalCode: '22202', country: 'US' };
const WEBHOOK_SECRET = `whsec_${Buffer.from('security-suite-merchant-secret-32').toString('base64')}`;
const PREVIEW = `query($input: PlaceOrderInput!) { previewOrderRouting(input: $input) { routable lines { reason unallocated parts { supplier quantity reason } } } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status lines { needsAttention allocations { supplier quantity } } subOrders { supplier state } } }`;
const DELIVERIES = `query($tenant: String) { orderWebhookDeliveries(tenant: $tenant) { id endpointId tenant eventType state attempts { status } } }`;

describe('orders for a partner limited to some suppliers', () => {
  let s: SecureStack;
  let merchant: Server;
  const merchantBodies: string[] = [];
  let seq = 0;
  const input = (sku: string, quantity = 2) => ({ idempotencyKey: `sec-${Date.now()}-${(seq += 1)}`, shipTo: SHIP_TO, lines: [{ sku, quantity }] });
  const ordersAt = (slug: string) => s.stack.sandboxes.get(slug)!.orders().length;

  beforeAll(async () => {
    merchant = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        merchantBodies.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => merchant.listen(0, '127.0.0.1', r));
    s = await startSecureStack({
      // The deployment prefers brightline: an unlimited caller is routed there.
      ORDER_ROUTING_POLICY: JSON.stringify({ supplierPriority: ['brightline', 'harborpromo', 'maplecart'] }),
      ORDER_WEBHOOK_ENDPOINTS: JSON.stringify([{ id: 'acme-merchant', tenant: 'acme', url: `http://127.0.0.1:${(merchant.address() as AddressInfo).port}/hooks`, secret: WEBHOOK_SECRET }]),
    });
    // Two products of our own, so stock is known: one both brightline and maplecart carry, one brightline only.
    const skuOf = (slug: string, n: number) => s.stack.sandboxes.get(slug)!.supplierSkus()[n]!;
    const carry = async (canonical: string, mappings: Record<string, string>) => {
      await s.stack.stores.catalog.insert(newProduct(canonical, { title: canonical, suppliers: Object.entries(mappings).map(([supplier, supplierSku]) => ({ supplier, supplierSku })) }));
      for (const [supplier, supplierSku] of Object.entries(mappings)) {
        s.stack.sandboxes.get(supplier)!.driftStock(supplierSku, 500); // the live re-check before submit agrees
        await s.stack.updater.applyReport({ sku: canonical, supplier, supplierSku, onHand: 50, supplierAsOf: new Date().toISOString() }, 'import');
      }
    };
    await carry('DS-SEC-BOTH', { brightline: skuOf('brightline', 3), maplecart: skuOf('maplecart', 3) });
    await carry('DS-SEC-BL-ONLY', { brightline: skuOf('brightline', 4) });
  }, 300_000);

  afterAll(async () => {
    await s?.stack.orderWebhooks.idle();
    await s?.stack.stores.orderWebhookDeliveries.clear();
    await s?.close();
    await new Promise((r) => merchant?.close(r));
  });

  it('an unlimited partner is routed by the configured priority (brightline); a maplecart-only partner to maplecart, reasons naming no other supplier', async () => {
    const open = await s.issue('acme', ['orders:read', 'orders:write']);
    const limited = await s.issue('acme', ['orders:read', 'orders:write'], { suppliers: ['maplecart'] });
    const openPreview = (await s.query(open.token, { query: PREVIEW, variables: { input: input('DS-SEC-BOTH') } })).json.data.previewOrderRouting;
    expect(openPreview.lines[0].parts.map((p: any) => p.supplier)).toEqual(['brightline']);
    expect(openPreview.lines[0].reason).toBe('supplier priority: brightline is preferred and has 50 available');

    const { json } = await s.query(limited.token, { query: PREVIEW, variables: { input: input('DS-SEC-BOTH') } });
    expect(json.errors).toBeUndefined();
    const line = json.data.previewOrderRouting.lines[0];
    expect(line.parts).toEqual([{ supplier: 'maplecart', quantity: 2, reason: 'supplier priority: maplecart is preferred and has 50 available' }]);
    expect(JSON.stringify(json)).not.toMatch(/brightline|harborpromo/);
  });

  it('placeOrder by the maplecart-only partner sends to maplecart only, although brightline is preferred and in stock', async () => {
    const limited = await s.issue('acme', ['orders:read', 'orders:write'], { suppliers: ['maplecart'] });
    const before = { brightline: ordersAt('brightline'), harborpromo: ordersAt('harborpromo'), maplecart: ordersAt('maplecart') };
    const { json } = await s.query(limited.token, { query: PLACE, variables: { input: input('DS-SEC-BOTH') } });
    expect(json.errors).toBeUndefined();
    const order = json.data.placeOrder;
    expect(order.subOrders).toEqual([{ supplier: 'maplecart', state: 'SUBMITTED' }]);
    expect(order.lines[0]).toEqual({ needsAttention: null, allocations: [{ supplier: 'maplecart', quantity: 2 }] });
    expect({ brightline: ordersAt('brightline'), harborpromo: ordersAt('harborpromo'), maplecart: ordersAt('maplecart') }).toEqual({ ...before, maplecart: before.maplecart + 1 });
    // The order remembers the limit, so a later re-route (a supplier refusing) stays inside it too.
    expect((await s.stack.stores.orders.get('acme', order.id))?.allowedSuppliers).toEqual(['maplecart']);
  });

  it('when its supplier refuses, the line is not re-routed to a supplier outside its list: it needs attention', async () => {
    const limited = await s.issue('acme', ['orders:read', 'orders:write'], { suppliers: ['maplecart'] });
    const before = { brightline: ordersAt('brightline'), harborpromo: ordersAt('harborpromo') };
    s.stack.sandboxes.get('maplecart')!.setFaults({ rejectRate: 1 });
    try {
      const { json } = await s.query(limited.token, { query: PLACE, variables: { input: input('DS-SEC-BOTH') } });
      expect(json.errors).toBeUndefined();
      const order = json.data.placeOrder;
      expect(order.subOrders).toEqual([{ supplier: 'maplecart', state: 'FAILED' }]);
      expect(order.lines[0].needsAttention).toContain('maplecart refused');
      expect(order.lines[0].needsAttention).not.toContain('brightline');
      expect({ brightline: ordersAt('brightline'), harborpromo: ordersAt('harborpromo') }).toEqual(before);
    } finally {
      s.stack.sandboxes.get('maplecart')!.resetFaults();
    }
  });

  it('a line none of its suppliers carries: OUT_OF_STOCK, reason NO_ALLOWED_SUPPLIER, the field named, nothing written or sent', async () => {
    const limited = await s.issue('acme', ['orders:read', 'orders:write'], { suppliers: ['maplecart'] });
    const before = { brightline: ordersAt('brightline'), maplecart: ordersAt('maplecart') };
    const stored = (await s.stack.stores.orders.list({ tenant: 'acme' }, 200, null)).items.length;
    const request = input('DS-SEC-BL-ONLY');
    const { json } = await s.query(limited.token, { query: PLACE, variables: { input: request } });
    expect(json.data).toBeNull();
    expect(json.errors[0].extensions).toMatchObject({ code: 'OUT_OF_STOCK', field: 'lines[0].sku', reason: 'NO_ALLOWED_SUPPLIER' });
    expect(json.errors[0].message).not.toMatch(/brightline/);
    expect({ brightline: ordersAt('brightline'), maplecart: ordersAt('maplecart') }).toEqual(before);
    expect((await s.stack.stores.orders.list({ tenant: 'acme' }, 200, null)).items).toHaveLength(stored);
    expect(await s.stack.stores.orders.getByIdempotencyKey('acme', request.idempotencyKey)).toBeNull();
    const preview = (await s.query(limited.token, { query: PREVIEW, variables: { input: input('DS-SEC-BL-ONLY') } })).json.data.previewOrderRouting;
    expect(preview).toEqual({ routable: false, lines: [{ reason: 'no supplier you may order from carries DS-SEC-BL-ONLY', unallocated: 2, parts: [] }] });
  });

  it('orderWebhookDeliveries: refused to a partner (admin scope), shown to an operator with every attempt', async () => {
    await s.stack.orderWebhooks.idle();
    expect(merchantBodies.length).toBeGreaterThan(0); // the earlier order's status event went to the configured endpoint
    const partner = await s.issue('acme', ['orders:read', 'orders:write']);
    const refused = await s.query(partner.token, { query: DELIVERIES, variables: { tenant: 'acme' } });
    expect(refused.json.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['admin'] });
    expect(refused.json.data ?? null).toBeNull();

    const operator = await s.issue('ops', ['admin']);
    const { json } = await s.query(operator.token, { query: DELIVERIES, variables: { tenant: 'acme' } });
    expect(json.errors).toBeUndefined();
    expect(json.data.orderWebhookDeliveries.length).toBeGreaterThan(0);
    for (const d of json.data.orderWebhookDeliveries) {
      expect(d).toMatchObject({ endpointId: 'acme-merchant', tenant: 'acme', eventType: 'order.status_changed', state: 'DELIVERED', attempts: [{ status: 204 }] });
    }
    expect(JSON.stringify(json)).not.toContain(WEBHOOK_SECRET.slice('whsec_'.length));
  });
});
