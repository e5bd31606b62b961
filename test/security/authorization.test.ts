/**
 * Scopes, tenant isolation, supplier limits and gateway → subgraph trust, on a real stack in AUTH_MODE=required.
 * Each refusal asserts its code AND that nothing changed (stock rows, supplier calls) or nothing leaked.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../platform/ports/order-store.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { GATEWAY_AUTH_HEADER } from '../../platform/auth/gateway-token.ts';
import { signAsGateway, startSecureStack, type SecureStack } from './support.ts';

const order = (tenant: string, id: string): OrderRecord => ({
  id,
  tenant,
  idempotencyKey: `key-${id}`,
  status: 'accepted',
  lines: [{ lineNumber: 1, sku: 'DS-00000000000000', quantity: 2, supplier: 'brightline', supplierSku: 'BL-1', status: 'accepted', unitCost: null }],
  shipments: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
});

const RESERVE = `mutation($input: ReserveStockInput!) { reserveStock(input: $input) { id state } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id idempotencyKey } } }`;
const principal = (tenant: string, scopes: Principal['scopes'], extra: Partial<Principal> = {}): Principal => ({ kind: 'api-token', subject: `tok_${tenant}`, tenant, scopes, tokenId: `tok_${tenant}`, ...extra });

describe('scopes, tenants and gateway trust', () => {
  let s: SecureStack;
  let sku: string;
  let supplier: string;
  const subgraphUrl = (name: string) => `${s.stack.subgraphs.get(name)!.url}/graphql`;
  const stockRow = async () => {
    const state = await s.stack.stores.stock.getState(sku, supplier);
    return { reserved: state?.record.reserved, version: state?.record.version, available: state?.record.available, holds: state?.holds.length };
  };
  const postTo = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as any };
  };

  beforeAll(async () => {
    s = await startSecureStack();
    await s.stack.stores.orders.insert(order('acme', 'ord-acme-1'));
    await s.stack.stores.orders.insert(order('globex', 'ord-globex-1'));
    // A product maplecart and at least one other supplier carry, with stock to reserve.
    const products = (await s.stack.stores.catalog.list(200, null)).items.filter((p) => p.suppliers.length > 1 && p.suppliers.some((m) => m.supplier === 'maplecart'));
    const rows = await s.stack.stores.stock.getBySkus(products.map((p) => p.sku));
    const index = rows.findIndex((r) => r.length > 1 && r.some((row) => row.available > 2));
    sku = products[index]!.sku;
    supplier = rows[index]!.find((row) => row.available > 2)!.supplier;
  }, 300_000);

  afterAll(async () => {
    await s?.close();
  });

  describe('scopes', () => {
    it('refuses orders:read calling an orders:write mutation (reserveStock), naming the scope; stock is unchanged', async () => {
      const reader = await s.issue('acme', ['orders:read', 'catalog:read', 'inventory:read']);
      const before = await stockRow();
      const { status, json } = await s.query(reader.token, { query: RESERVE, variables: { input: { items: [{ sku, supplier, quantity: 1 }], ttlSeconds: 60 } } });
      expect(status).toBe(403);
      expect(json.data).toBeUndefined();
      expect(json.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN', missingScopes: ['orders:write'], requestId: expect.any(String) } })]);
      expect(json.errors[0].message).toContain('Mutation.reserveStock');
      expect(await stockRow()).toEqual(before);
    });

    it('lets orders:write reserve (the same request succeeds with the scope), then release', async () => {
      const writer = await s.issue('acme', ['orders:write']);
      const before = await stockRow();
      const reserved = await s.query(writer.token, { query: RESERVE, variables: { input: { items: [{ sku, supplier, quantity: 1 }], ttlSeconds: 60 } } });
      expect(reserved.json.errors).toBeUndefined();
      expect(reserved.json.data.reserveStock.state).toBe('HELD');
      expect((await stockRow()).reserved).toBe(before.reserved! + 1);
      const released = await s.query(writer.token, { query: 'mutation($id: ID!) { releaseReservation(id: $id) { state } }', variables: { id: reserved.json.data.reserveStock.id } });
      expect(released.json.data.releaseReservation.state).toBe('RELEASED');
      expect((await stockRow()).reserved).toBe(before.reserved);
    });

    it('checks nested fields too: catalog:read alone cannot read offers, and no supplier is called', async () => {
      const catalogOnly = await s.issue('acme', ['catalog:read']);
      for (const sandbox of s.stack.sandboxes.values()) sandbox.resetStats();
      const { status, json } = await s.query(catalogOnly.token, { query: `{ product(sku: "${sku}") { title offers { available } stock { available } } }` });
      expect(status).toBe(403);
      expect(json.errors[0].extensions).toEqual({ code: 'FORBIDDEN', missingScopes: ['inventory:read'], requestId: expect.any(String) });
      expect(json.errors[0].message).toMatch(/Product\.offers.*Product\.stock|Product\.stock.*Product\.offers/);
      for (const sandbox of s.stack.sandboxes.values()) expect(sandbox.stats().total).toBe(0);
      const allowed = await s.query(catalogOnly.token, { query: `{ product(sku: "${sku}") { title } }` });
      expect(allowed.json.data.product.title).toBeTruthy();
    });

    it('refuses operator-only fields (reconciliation) to partners', async () => {
      const partner = await s.issue('acme', ['catalog:read', 'inventory:read', 'orders:read', 'orders:write']);
      const { status, json } = await s.query(partner.token, { query: '{ reconciliationRuns { id } }' });
      expect(status).toBe(403);
      expect(json.errors[0].extensions.missingScopes).toEqual(['admin']);
    });
  });

  describe('tenant isolation', () => {
    it('answers another tenant\'s order(id) exactly like an unknown id: null, no error, nothing leaked', async () => {
      const acme = await s.issue('acme', ['orders:read']);
      const own = await s.query(acme.token, { query: '{ order(id: "ord-acme-1") { id idempotencyKey } }' });
      expect(own.json).toEqual({ data: { order: { id: 'ord-acme-1', idempotencyKey: 'key-ord-acme-1' } } });
      const theirs = await s.query(acme.token, { query: '{ order(id: "ord-globex-1") { id idempotencyKey } }' });
      const unknown = await s.query(acme.token, { query: '{ order(id: "ord-nope") { id idempotencyKey } }' });
      expect(theirs.json).toEqual({ data: { order: null } });
      expect(theirs.json).toEqual(unknown.json);
      const list = await s.query(acme.token, { query: '{ orders { nodes { id } } }' });
      expect(list.json.data.orders.nodes).toEqual([{ id: 'ord-acme-1' }]);
    });

    it('refuses an _entities lookup of another tenant\'s order sent straight to the orders subgraph, even with a valid signature', async () => {
      const representations = [{ __typename: 'Order', id: 'ord-globex-1' }, { __typename: 'Order', id: 'ord-acme-1' }];
      const body = { query: ENTITIES, variables: { r: representations } };
      const header = await signAsGateway(principal('acme', ['orders:read']), 'orders', body);
      const { status, json } = await postTo(subgraphUrl('orders'), body, { [GATEWAY_AUTH_HEADER]: header });
      expect(status).toBe(200);
      expect(json.data._entities).toEqual([null, { id: 'ord-acme-1', idempotencyKey: 'key-ord-acme-1' }]);
    });

    it('refuses entity fields to a signature without their scope (defence in depth inside the subgraph)', async () => {
      const body = { query: ENTITIES, variables: { r: [{ __typename: 'Order', id: 'ord-acme-1' }] } };
      const header = await signAsGateway(principal('acme', ['catalog:read']), 'orders', body);
      const { json } = await postTo(subgraphUrl('orders'), body, { [GATEWAY_AUTH_HEADER]: header });
      expect(json.data._entities).toEqual([null]);
      expect(json.errors.map((e: any) => e.extensions)).toContainEqual({ code: 'FORBIDDEN', missingScopes: ['orders:read'], requestId: expect.any(String) });
      expect(JSON.stringify(json)).not.toContain('key-ord-acme-1');
    });

    it('refuses a mutation inside the subgraph when the signed scopes lack it; stock is unchanged', async () => {
      const body = { query: RESERVE, variables: { input: { items: [{ sku, supplier, quantity: 1 }], ttlSeconds: 60 } } };
      const header = await signAsGateway(principal('acme', ['orders:read']), 'inventory', body);
      const before = await stockRow();
      const { json } = await postTo(subgraphUrl('inventory'), body, { [GATEWAY_AUTH_HEADER]: header });
      expect(json.data).toBeNull();
      expect(json.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['orders:write'] });
      expect(await stockRow()).toEqual(before);
    });
  });

  describe('supplier limits', () => {
    it('shows a partner limited to maplecart only maplecart: offers, stock rows, mappings, statuses; other suppliers are not called', async () => {
      const limited = await s.issue('acme', ['catalog:read', 'inventory:read'], { suppliers: ['maplecart'] });
      for (const sandbox of s.stack.sandboxes.values()) sandbox.resetStats();
      const query = `{ product(sku: "${sku}") { supplierSkus { supplier } stock { bySupplier { supplier } } offers { __typename supplier { name } } } suppliers { name } }`;
      const { json } = await s.query(limited.token, { query });
      expect(json.errors).toBeUndefined();
      const product = json.data.product;
      const only = (list: { supplier?: string; name?: string }[]) => new Set(list.map((x) => x.supplier ?? x.name));
      expect([...only(product.supplierSkus)]).toEqual(['maplecart']);
      expect([...only(product.stock.bySupplier)]).toEqual(['maplecart']);
      expect(product.offers.map((o: any) => o.__typename)).toEqual(['MaplecartOffer']);
      expect(json.data.suppliers).toEqual([{ name: 'maplecart' }]);
      expect(s.stack.sandboxes.get('brightline')!.stats().total).toBe(0);
      expect(s.stack.sandboxes.get('harborpromo')!.stats().total).toBe(0);

      const direct = await s.query(limited.token, { query: '{ brightlineOffer(supplierSku: "anything") { id } }' });
      expect(direct.json).toEqual({ data: { brightlineOffer: null } });

      const unlimited = await s.issue('acme', ['catalog:read', 'inventory:read']);
      const all = await s.query(unlimited.token, { query: `{ product(sku: "${sku}") { offers { __typename } } }` });
      expect(all.json.data.product.offers.length).toBeGreaterThan(1);
    });
  });

  describe('gateway → subgraph trust', () => {
    const ANY = { query: '{ __typename }' };

    it('refuses a direct call to every subgraph without the gateway\'s signature, while health stays open', async () => {
      for (const [name, server] of s.stack.subgraphs) {
        const { status, json } = await postTo(`${server.url}/graphql`, ANY);
        expect(status, name).toBe(401);
        expect(json.errors[0].extensions.code, name).toBe('UNAUTHENTICATED');
        expect(json.data, name).toBeUndefined();
        expect((await fetch(`${server.url}/healthz`)).status, name).toBe(200);
      }
    });

    it('refuses a forged, an expired and a misdirected signature', async () => {
      const orders = subgraphUrl('orders');
      const claims = { knd: 'api-token', ten: 'acme', scp: ['orders:read'] };
      const now = Math.floor(Date.now() / 1000);
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('dropship-gateway').setAudience('orders').setSubject('x').setIssuedAt().setExpirationTime('60s')
        .sign(new TextEncoder().encode('not-the-gateway-secret-but-long-enough-0123'));
      const expired = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('dropship-gateway').setAudience('orders').setSubject('x').setIssuedAt(now - 300).setExpirationTime(now - 200)
        .sign(new TextEncoder().encode('test-gateway-signing-secret-0123456789abcdef'));
      const body = { query: ENTITIES, variables: { r: [{ __typename: 'Order', id: 'ord-acme-1' }] } };
      const misdirected = await signAsGateway(principal('acme', ['orders:read']), 'catalog', body);
      for (const [label, header] of [['forged', forged], ['expired', expired], ['misdirected', misdirected], ['garbage', 'x.y.z']] as const) {
        const { status, json } = await postTo(orders, body, { [GATEWAY_AUTH_HEADER]: header });
        expect(status, label).toBe(401);
        expect(json.errors[0].extensions.code, label).toBe('UNAUTHENTICATED');
        expect(JSON.stringify(json), label).not.toContain('key-ord-acme-1');
      }
    });

    it('passes the verified principal through the gateway to every subgraph it plans over', async () => {
      const { token } = await s.issue('acme', ['orders:read', 'catalog:read']);
      const { json } = await s.query(token, { query: '{ order(id: "ord-acme-1") { id lines { product { sku } } } viewer { tenant } }' });
      expect(json.errors).toBeUndefined();
      expect(json.data).toEqual({ order: { id: 'ord-acme-1', lines: [{ product: { sku: 'DS-00000000000000' } }] }, viewer: { tenant: 'acme' } });
    });
  });
});
