/**
 * The "Partner access" open points on a real stack in AUTH_MODE=required (docs/security.md):
 * - a partner limited to some suppliers cannot reserve, release or commit another supplier's stock;
 * - repeated failed authentication from one address (or with one credential) is answered 429 with Retry-After,
 *   while valid tokens from other addresses go on; counted in metrics and audited without the token;
 * - the gateway → subgraph header is single-use and bound to its body: a captured one, replayed with the same body
 *   or another, is refused 401 and nothing changes; every fetch of a plan, and subscription resolutions, still work.
 * Each refusal asserts its code and that nothing changed (stock rows, reservations, supplier calls).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { createAuditLog } from '../../platform/audit/audit-log.ts';
import { GATEWAY_AUTH_HEADER } from '../../platform/auth/gateway-token.ts';
import { silentLogger } from '../../platform/logger.ts';
import { mintJwt, newSigningKey, startSecureStack, type SecureStack } from './support.ts';
import { openClient, rawSocket, subscribe, waitFor } from '../support/ws-clients.ts';
import type { GraphqlSandbox } from '../../sandboxes/graphql/index.ts';

const RESERVE = `mutation($input: ReserveStockInput!) { reserveStock(input: $input) { id state items { supplier quantity } } }`;
const RELEASE = `mutation($id: ID!) { releaseReservation(id: $id) { id state } }`;
const COMMIT = `mutation($id: ID!) { commitReservation(id: $id) { id state } }`;
const LIMIT = 3;

interface Sent {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

describe('partner access: supplier-limited reservations, failed-authentication throttling, single-use gateway headers', () => {
  let s: SecureStack;
  let sku: string;
  /** A supplier with stock for `sku` other than maplecart, and maplecart itself. */
  let other: string;
  const allowed = 'maplecart';
  const realFetch = globalThis.fetch;
  /** Subgraph requests the gateway sent, recorded off its fetch (headers and the exact body). */
  const sent: Sent[] = [];

  const row = async (supplier: string) => {
    const state = await s.stack.stores.stock.getState(sku, supplier);
    return { reserved: state?.record.reserved, version: state?.record.version, available: state?.record.available, holds: state?.holds.length };
  };
  const openReservations = async () => (await s.stack.stores.reservations.listDue('9999-12-31T00:00:00.000Z', 10_000)).length;
  const subgraphUrl = (name: string) => `${s.stack.subgraphs.get(name)!.url}/graphql`;
  const postTo = async (url: string, body: string, headers: Record<string, string>) => {
    const response = await realFetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: response.status, json: (await response.json()) as any };
  };

  beforeAll(async () => {
    s = await startSecureStack({ AUTH_FAILURE_LIMIT: String(LIMIT), AUTH_FAILURE_WINDOW_S: '60', TRUST_PROXY_HOPS: '1' });
    const products = (await s.stack.stores.catalog.list(200, null)).items.filter((p) => p.suppliers.some((m) => m.supplier === allowed) && p.suppliers.length > 1);
    const rows = await s.stack.stores.stock.getBySkus(products.map((p) => p.sku));
    const index = rows.findIndex((r) => r.some((x) => x.supplier === allowed && x.available > 3) && r.some((x) => x.supplier !== allowed && x.available > 3));
    sku = products[index]!.sku;
    other = rows[index]!.find((x) => x.supplier !== allowed && x.available > 3)!.supplier;
    // The gateway calls the global fetch per subgraph request: wrap it to see what went on the wire (GraphQL fetches
    // only: sandbox webhooks to the inventory subgraph's /webhooks/ go through the same fetch).
    const subgraphUrls = [...s.stack.subgraphs.values()].map((g) => g.url);
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      if (subgraphUrls.some((u) => url.startsWith(`${u}/graphql`)) && init && typeof init.body === 'string') {
        sent.push({ url, headers: { ...(init.headers as Record<string, string>) }, body: init.body });
      }
      return realFetch(input, init);
    }) as typeof fetch;
  }, 300_000);

  afterEach(() => {
    sent.length = 0;
  });

  afterAll(async () => {
    globalThis.fetch = realFetch;
    await s?.close();
  });

  describe('a partner limited to some suppliers, reserving', () => {
    it('refuses reserveStock of another supplier\'s stock with SUPPLIER_NOT_ALLOWED naming it; nothing is written', async () => {
      const limited = await s.issue('acme', ['orders:write'], { suppliers: [allowed] });
      const before = { other: await row(other), allowed: await row(allowed), open: await openReservations() };
      // Alone, and mixed with an item it may reserve: the allowed item must not be held either.
      for (const items of [[{ sku, supplier: other, quantity: 1 }], [{ sku, supplier: allowed, quantity: 1 }, { sku, supplier: other, quantity: 1 }]]) {
        const { status, json } = await s.query(limited.token, { query: RESERVE, variables: { input: { items, ttlSeconds: 60, idempotencyKey: `k-${items.length}` } } });
        expect(status).toBe(200);
        expect(json.data).toBeNull();
        expect(json.errors).toHaveLength(1);
        expect(json.errors[0].extensions).toMatchObject({ code: 'SUPPLIER_NOT_ALLOWED', errorClass: 'logical', supplier: other });
        expect(json.errors[0].message).toContain(other);
      }
      expect({ other: await row(other), allowed: await row(allowed), open: await openReservations() }).toEqual(before);
    });

    it('still reserves, releases and commits its own suppliers\' stock', async () => {
      const limited = await s.issue('acme', ['orders:write'], { suppliers: [allowed] });
      const before = await row(allowed);
      const first = await s.query(limited.token, { query: RESERVE, variables: { input: { items: [{ sku, supplier: allowed, quantity: 1 }], ttlSeconds: 60 } } });
      expect(first.json.errors).toBeUndefined();
      expect(first.json.data.reserveStock).toMatchObject({ state: 'HELD', items: [{ supplier: allowed, quantity: 1 }] });
      expect((await s.query(limited.token, { query: RELEASE, variables: { id: first.json.data.reserveStock.id } })).json.data.releaseReservation.state).toBe('RELEASED');
      const second = await s.query(limited.token, { query: RESERVE, variables: { input: { items: [{ sku, supplier: allowed, quantity: 1 }], ttlSeconds: 60 } } });
      expect((await s.query(limited.token, { query: COMMIT, variables: { id: second.json.data.reserveStock.id } })).json.data.commitReservation.state).toBe('COMMITTED');
      expect((await row(allowed)).reserved).toBe(before.reserved);
    });

    it('refuses to release or commit a reservation of its tenant that holds another supplier\'s stock; it stays held', async () => {
      const unlimited = await s.issue('acme', ['orders:write', 'orders:read']);
      const limited = await s.issue('acme', ['orders:write', 'orders:read'], { suppliers: [allowed] });
      const made = await s.query(unlimited.token, { query: RESERVE, variables: { input: { items: [{ sku, supplier: allowed, quantity: 1 }, { sku, supplier: other, quantity: 1 }], ttlSeconds: 60 } } });
      const id = made.json.data.reserveStock.id as string;
      const before = { other: await row(other), allowed: await row(allowed) };
      for (const query of [RELEASE, COMMIT]) {
        const { json } = await s.query(limited.token, { query, variables: { id } });
        expect(json.data).toBeNull();
        expect(json.errors[0].extensions).toMatchObject({ code: 'SUPPLIER_NOT_ALLOWED', supplier: other });
      }
      expect({ other: await row(other), allowed: await row(allowed) }).toEqual(before);
      expect((await s.stack.stores.reservations.get('acme', id))?.state).toBe('held');
      // An unknown id is still NOT_FOUND for the limited partner, as for anyone.
      const unknown = await s.query(limited.token, { query: RELEASE, variables: { id: 'no-such-reservation' } });
      expect(unknown.json.errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await s.query(unlimited.token, { query: RELEASE, variables: { id } })).json.data.releaseReservation.state).toBe('RELEASED');
    });
  });

  describe('failed-authentication throttling', () => {
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const VIEWER = { query: '{ viewer { tenant } }' };

    it('answers 429 with Retry-After past the limit from one address; valid tokens from other addresses are unaffected', async () => {
      const valid = await s.issue('acme', ['catalog:read']);
      const revoked = await s.issue('acme', ['catalog:read']);
      await s.stack.stores.tokens.revoke(revoked.id, new Date().toISOString());
      const forger = await newSigningKey('key-1');
      const failures = [`dsk_${'A'.repeat(43)}`, await mintJwt(forger, { scope: 'admin' }), revoked.token];
      for (const [i, bad] of failures.entries()) {
        const { status, json } = await s.query(bad, VIEWER, from('203.0.113.50'));
        expect(status, `failure ${i + 1}`).toBe(401);
        expect(json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      }
      const over = await s.query(`dsk_${'B'.repeat(43)}`, VIEWER, from('203.0.113.50'));
      expect(over.status).toBe(429);
      expect(over.json.errors[0].extensions).toMatchObject({ code: 'AUTHENTICATION_THROTTLED' });
      const retryAfter = Number(over.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // The throttled address is refused before its credential is even checked, valid or not.
      const blockedValid = await s.query(valid.token, VIEWER, from('203.0.113.50'));
      expect(blockedValid.status).toBe(429);
      // Everyone else goes on.
      const elsewhere = await s.query(valid.token, VIEWER, from('198.51.100.20'));
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.json).toEqual({ data: { viewer: { tenant: 'acme' } } });
    });

    it('throttles one bad credential retried from many addresses', async () => {
      const stolen = `dsk_${'C'.repeat(43)}`;
      for (let i = 0; i < LIMIT; i++) expect((await s.query(stolen, VIEWER, from(`192.0.2.${i + 1}`))).status).toBe(401);
      expect((await s.query(stolen, VIEWER, from('192.0.2.200'))).status).toBe(429);
      expect((await s.query(stolen, VIEWER, from('192.0.2.201'))).status).toBe(429);
      // Another credential from a fresh address is checked normally.
      expect((await s.query(`dsk_${'D'.repeat(43)}`, VIEWER, from('192.0.2.202'))).status).toBe(401);
    });

    it('counts connection_init failures on WebSockets against the upgrade request\'s address: past the limit, close 4429, valid token included', async () => {
      const valid = await s.issue('acme', ['inventory:read']);
      const init = async (token: string, address: string) => {
        const raw = await rawSocket(s.url, { headers: from(address) });
        raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
        return raw;
      };
      for (let i = 0; i < LIMIT; i++) expect((await (await init(`dsk_${String(i).repeat(43)}`, '203.0.113.77')).closed()).code).toBe(4401);
      expect((await (await init(`dsk_${'E'.repeat(43)}`, '203.0.113.77')).closed()).code).toBe(4429);
      // The address is blocked before its credential is looked at: a valid token from it is refused too.
      expect((await (await init(valid.token, '203.0.113.77')).closed()).code).toBe(4429);
      // Another address connects normally.
      const fine = await init(valid.token, '198.51.100.77');
      await fine.acked();
      fine.socket.close(1000);
    });

    it('counts failures and throttling in metrics, and audits the throttling without the token', async () => {
      const metrics = await s.stack.metrics.registry.metrics();
      expect(metrics).toMatch(/gateway_auth_failures_total\{reason="unknown_token"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/gateway_auth_failures_total\{reason="invalid_signature"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/gateway_auth_throttled_total\{by="address"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/gateway_auth_throttled_total\{by="credential"[^}]*\} [1-9]/);
      const audit = createAuditLog({ store: s.stack.stores.audit, log: silentLogger() });
      // Recorded in the background: poll briefly.
      let entries: unknown[] = [];
      for (let tries = 0; tries < 50 && entries.length < 2; tries++) {
        entries = (await audit.list({ action: 'token.denied' }, 100, null)).items.filter((e) => e.reason === 'AUTHENTICATION_THROTTLED');
        if (entries.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(entries).toEqual(expect.arrayContaining([
        expect.objectContaining({ actor: expect.stringMatching(/^client:sha256:[0-9a-f]{16}$/), outcome: 'denied' }),
        expect.objectContaining({ actor: expect.stringMatching(/^credential:[0-9a-f]{16}$/), outcome: 'denied' }),
      ]));
      const text = JSON.stringify(entries);
      for (const leaked of ['AAAA', 'CCCC', '203.0.113.50', '192.0.2.']) expect(text).not.toContain(leaked);
    });
  });

  describe('gateway → subgraph headers: single use, bound to the body', () => {
    it('refuses a captured header replayed with the same body, and with another body; stock and reservations unchanged', async () => {
      const writer = await s.issue('acme', ['orders:write']);
      const made = await s.query(writer.token, { query: RESERVE, variables: { input: { items: [{ sku, supplier: allowed, quantity: 1 }], ttlSeconds: 60 } } });
      expect(made.json.errors).toBeUndefined();
      const captured = sent.find((r) => r.url.startsWith(subgraphUrl('inventory')) && r.body.includes('reserveStock'))!;
      expect(captured).toBeDefined();
      const header = captured.headers[GATEWAY_AUTH_HEADER]!;
      expect(header).toBeTruthy();
      const before = { row: await row(allowed), open: await openReservations() };

      const same = await postTo(subgraphUrl('inventory'), captured.body, { [GATEWAY_AUTH_HEADER]: header });
      expect(same.status).toBe(401);
      expect(same.json.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'replayed', requestId: expect.any(String) });
      expect(same.json.data).toBeUndefined();

      const otherBody = captured.body.replace('"quantity":1', '"quantity":3');
      expect(otherBody).not.toBe(captured.body);
      const changed = await postTo(subgraphUrl('inventory'), otherBody, { [GATEWAY_AUTH_HEADER]: header });
      expect(changed.status).toBe(401);
      expect(changed.json.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'body_mismatch', requestId: expect.any(String) });

      // The same header against another subgraph is misdirected, as before.
      const elsewhere = await postTo(subgraphUrl('orders'), captured.body, { [GATEWAY_AUTH_HEADER]: header });
      expect(elsewhere.status).toBe(401);
      expect(elsewhere.json.errors[0].extensions.reason).toBe('misdirected');

      expect({ row: await row(allowed), open: await openReservations() }).toEqual(before);
      await s.query(writer.token, { query: RELEASE, variables: { id: made.json.data.reserveStock.id } });
    });

    it('gives every fetch of a plan its own header (parallel supplier fetches included), each for its own body', async () => {
      const reader = await s.issue('acme', ['catalog:read', 'inventory:read']);
      const { json } = await s.query(reader.token, { query: `{ product(sku: "${sku}") { title stock { available } offers { __typename available } } }` });
      expect(json.errors).toBeUndefined();
      expect(json.data.product.offers.length).toBeGreaterThan(1);
      expect(sent.length).toBeGreaterThan(2);
      const claims = sent.map((r) => decodeJwt(r.headers[GATEWAY_AUTH_HEADER]!));
      expect(new Set(claims.map((c) => c.jti)).size).toBe(sent.length);
      expect(new Set(claims.map((c) => c.aud as string)).size).toBeGreaterThan(2);
    });

    it('resolves subscription events through the gateway with fresh headers', async () => {
      const admin = (await s.issue('t-admin', ['admin'])).token;
      const client = openClient(s.url, admin);
      try {
        const sub = subscribe(client, `subscription($skus: [ID!]) { stockChanged(skus: $skus) { sku supplier newAvailable product { sku title offers { __typename } } } }`, { skus: [sku] });
        await waitFor(() => s.stack.gateway.subscriptions!.subscribers === 1, 'the subscriber');
        const supplierSku = (await s.stack.stores.catalog.getBySkus([sku]))[0]!.suppliers.find((m) => m.supplier === allowed)!.supplierSku;
        // The production path: the supplier's stock changes, its signed webhook reaches the ingest, the one stock
        // update path publishes the event. Two changes, so two resolutions each with its own gateway header.
        const maplecart = s.stack.sandboxes.get(allowed) as GraphqlSandbox;
        const start = (await s.stack.stores.stock.get(sku, allowed))!.onHand;
        for (const target of [start + 7, start + 8]) {
          maplecart.setStock(supplierSku, target);
          await maplecart.webhooksIdle();
          const until = Date.now() + 10_000;
          while ((await s.stack.stores.stock.get(sku, allowed))?.onHand !== target) {
            if (Date.now() > until) throw new Error(`timed out waiting for stock ${target}`);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
        const stored = (await s.stack.stores.stock.get(sku, allowed))!;
        const second = await sub.nth(2);
        expect(sub.errors).toEqual([]);
        expect(second.errors).toBeUndefined();
        expect(second.data.stockChanged).toMatchObject({ sku, supplier: allowed, newAvailable: stored.available, product: { sku } });
        expect(second.data.stockChanged.product.offers.length).toBeGreaterThan(0);
        const jtis = sent.map((r) => decodeJwt(r.headers[GATEWAY_AUTH_HEADER]!).jti);
        expect(jtis.length).toBeGreaterThan(1);
        expect(new Set(jtis).size).toBe(jtis.length);
        sub.dispose();
      } finally {
        await client.dispose();
      }
    });
  });
});
