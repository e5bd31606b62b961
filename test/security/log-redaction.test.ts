/**
 * No secret and no customer's personal data in the logs, on a full stack run: the gateway, every subgraph and the
 * three supplier sandboxes, logging at trace into memory. The run reads offers, provokes supplier failures of every
 * kind, places, reads and cancels orders carrying a customer's address, takes signed and forged webhooks, presents
 * partner tokens, seals supplier credentials and writes audit entries; then no token, credential or piece of the
 * customer's data may appear anywhere in what was logged. The OAuth tokens and access tokens the connectors actually
 * sent are read off the wire (undici's diagnostics channel), so they are checked too.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import type { SupplierOrder } from '../../kernel/model.ts';
import { createAuditLog } from '../../platform/audit/audit-log.ts';
import { createLogger } from '../../platform/logger.ts';
import { signWebhook, type RestSandbox } from '../../sandboxes/rest/index.ts';
import type { SupplierSandbox } from '../../sandboxes/shared/sandbox.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { createSupplierCredentialSource, vaultOf } from '../../stack/supplier-credentials.ts';
import { createTokenService } from '../../subgraphs/access/token-service.ts';
import { importCatalogs } from '../../subgraphs/catalog/import-catalog.ts';
import { snapshotStock } from '../../subgraphs/inventory/snapshot-stock.ts';
import { SUPPLIERS } from '../../platform/supplier-registry.ts';
import { sampleOrderRecord } from '../contract/order-store.contract.ts';
import { sampleOrder, testContext } from '../contract/supplier-connector.contract.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';
import { AUDIENCE, ISSUER, mintJwt, newSigningKey, startJwksServer, type JwksServer } from './support.ts';

const random = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
const WEBHOOK_SECRET = random('whsec_cfg_');
const GATEWAY_SECRET = random('gwsig_') + random('');
const KEK_MATERIAL = randomBytes(32).toString('base64');
const PARTNER_TOKEN = random('dsk_live_');
const STORED_SECRET = random('stored-client-secret-');

/** The customer of every order this run places (the contract's sample order) and what identifies them. */
const CUSTOMER = sampleOrder(['probe']).shipTo;
/** Products per supplier imported: enough for the run, and quick on a busy MongoDB-protocol server. */
const CATALOG_ITEMS = 25;

/** The connector with its catalog cut to the first CATALOG_ITEMS items (everything else unchanged). */
const firstItemsOnly = (connector: SupplierConnector): SupplierConnector =>
  new Proxy(connector, {
    get(target, prop) {
      if (prop === 'listCatalog') {
        return async (cursor: string | null, ctx: Parameters<SupplierConnector['listCatalog']>[1]) =>
          cursor === null ? { items: (await target.listCatalog(null, ctx)).items.slice(0, CATALOG_ITEMS), nextCursor: null } : { items: [], nextCursor: null };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

/** A shopper a storefront forwards in X-Shopper-Id (docs/security.md, "Forwarded shopper identity"): personal data. */
const SHOPPER_ID = 'shop-customer-8841-ada';
const PERSONAL = [CUSTOMER.name, 'Lovelace', CUSTOMER.line1, 'Analytical Row', CUSTOMER.email!, CUSTOMER.phone!, '503 555 0100', '5035550100', '503-555-0100', SHOPPER_ID];

describe('logs hold no secrets and no personal data (full stack at trace)', () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'trace', destination: new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }) });
  /** Authorization and access-token header values our processes sent, read off the wire. */
  const wire = new Set<string>();
  const onHeaders = (message: unknown) => {
    const raw = (message as { headers?: unknown }).headers;
    const text = typeof raw === 'string' ? raw : Array.isArray(raw) ? raw.map(String).join('\r\n') : '';
    for (const match of text.matchAll(/^(?:authorization|x-shopify-access-token|x-gateway-token|cookie)\s*:\s*(?:bearer |basic )?(.+?)\s*$/gim)) wire.add(match[1]!);
  };
  let stack: Stack;
  let url: string;
  let jwks: JwksServer;
  /** Partner credentials issued for this run: an API token and JWTs (valid and expired). */
  const partnerTokens: string[] = [];
  /** A storefront's token, presented with a forwarded shopper. */
  let storefrontToken: string;

  const ctx = (lane: 'sync' | 'order' = 'sync') => testContext({ log: log.child({ requestId: randomUUID() }), lane });
  const connector = (slug: string): SupplierConnector => stack.connectors.get(slug)!;
  const sandbox = (slug: string): SupplierSandbox => stack.sandboxes.get(slug)!;
  const inStock = (slug: string, n: number) => sandbox(slug).supplierSkus().filter((s) => (sandbox(slug).stockOf(s) ?? 0) >= 20).slice(0, n);
  const settle = <T>(promise: Promise<T>) => promise.then(() => undefined, () => undefined);
  /** After provoked failures: faults off, and each breaker closed again by a successful probe. */
  async function recover(): Promise<void> {
    for (const s of stack.sandboxes.values()) s.resetFaults();
    for (const slug of stack.connectors.keys()) {
      for (let attempt = 0; ; attempt += 1) {
        const ok = await connector(slug).getStock(inStock(slug, 1), ctx()).then(() => true, () => false);
        if (ok) break;
        if (attempt > 50) throw new Error(`${slug} did not recover`);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
  }

  beforeAll(async () => {
    diagnostics.subscribe('undici:client:sendHeaders', onHeaders);
    const key = await newSigningKey('log-test-key');
    jwks = await startJwksServer([key]);
    partnerTokens.push(await mintJwt(key, { tenant: 'acme', scope: 'catalog:read inventory:read', sub: CUSTOMER.email! }), await mintJwt(key, { expiresIn: -600 }));
    stack = await startStack({
      config: testConfig({
        LOG_LEVEL: 'trace',
        OFFER_CACHE_TTL_MS: '60000',
        // A forwarded shopper crosses their limit within a few requests, so the 429 path is logged too.
        SHOPPER_RATE_PER_SECOND: '0.1',
        SHOPPER_RATE_BURST: '3',
        BRIGHTLINE_WEBHOOK_SECRETS: WEBHOOK_SECRET,
        MAPLECART_WEBHOOK_SECRETS: WEBHOOK_SECRET,
        GATEWAY_SIGNING_SECRET: GATEWAY_SECRET,
        JWKS_URL: jwks.url,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        SECRETS_KEK: `log-test:${KEK_MATERIAL}`,
        // Room for the provoked failures and their retries: waiting out real budgets only makes the run slow.
        SUPPLIER_LIMITS: JSON.stringify({
          brightline: { requests: { limit: 100_000, perSeconds: 1, burst: 10_000 } },
          harborpromo: { requests: { limit: 100_000, perSeconds: 1, burst: 10_000 } },
          maplecart: { cost: { maximumAvailable: 1_000_000, restoreRate: 100_000 } },
        }),
        BRIGHTLINE_POLL_INTERVAL_MS: '0',
        HARBORPROMO_POLL_INTERVAL_MS: '0',
        MAPLECART_POLL_INTERVAL_MS: '0',
        RECONCILE_INTERVAL_MS: '0',
        SUPPLIER_BREAKER_OPEN_MS: '100',
        SUPPLIER_TIMEOUT_MS: '1000',
      }),
      log,
      subgraphPorts: 'random',
      seed: false,
    });
    // The importer and the snapshot as `npm start` runs them, on a slice of each catalog, logging here too.
    const connectors = [...stack.connectors.values()].map(firstItemsOnly);
    await importCatalogs({ connectors, catalog: stack.stores.catalog, log });
    await snapshotStock({ connectors, catalog: stack.stores.catalog, updater: stack.updater, log });
    url = stack.gateway.graphqlUrl;
    const tokens = createTokenService({ tokens: stack.stores.tokens, knownSuppliers: SUPPLIERS.map((s) => s.slug), audit: createAuditLog({ store: stack.stores.audit, log }) });
    storefrontToken = (await tokens.issue({ tenant: 'shop', tokenClass: 'storefront' }, { actor: 'cli:log-test', subject: 'log-test' })).token;
    const issued = await tokens.issue({ tenant: 'acme', scopes: ['catalog:read', 'inventory:read'] }, { actor: 'cli:log-test', subject: 'log-test' });
    partnerTokens.push(storefrontToken, issued.token);
  }, 180_000);

  afterAll(async () => {
    diagnostics.unsubscribe('undici:client:sendHeaders', onHeaders);
    await jwks?.close();
    if (!stack) return;
    await Promise.all([stack.stores.catalog.clear(), stack.stores.stock.clear(), stack.stores.orders.clear(), stack.stores.tokens.clear()]);
    await stack.close();
  });

  it('runs reads, failures, orders, webhooks, tokens and credentials, and logs none of their secrets or personal data', async () => {
    const products = await postGraphql(url, { query: '{ products(first: 20) { sku offers { __typename available cost { amount currency } } } }' });
    expect(products.status).toBe(200);
    const skus: string[] = products.json.data.products.map((p: { sku: string }) => p.sku);

    // Partner credentials presented to the gateway: issued API token, valid and expired JWTs (the valid one's
    // subject is the customer's e-mail), the API token tampered with, an unknown token as bearer, cookie and query.
    for (const token of [...partnerTokens, `${partnerTokens.at(-1)}x`]) {
      await postGraphql(url, { query: '{ products(first: 2) { sku stock { available } } }' }, { authorization: `Bearer ${token}` });
    }
    await postGraphql(url, { query: '{ products(first: 1) { sku } }' }, { authorization: `Bearer ${PARTNER_TOKEN}` });
    // A storefront calling for a shopper, within and then past the shopper's bucket (burst 3), and malformed.
    const shopper = { authorization: `Bearer ${storefrontToken}`, 'x-shopper-id': SHOPPER_ID };
    const shopperStatuses: number[] = [];
    for (let i = 0; i < 6; i += 1) shopperStatuses.push((await postGraphql(url, { query: '{ viewer { tenant } }' }, shopper)).status);
    expect(shopperStatuses).toContain(200);
    expect(shopperStatuses).toContain(429);
    expect((await postGraphql(url, { query: '{ viewer { tenant } }' }, { ...shopper, 'x-shopper-id': `${SHOPPER_ID} !` })).status).toBe(400);
    await postGraphql(url, { query: '{ products(first: 1) { sku } }' }, { cookie: `session=${PARTNER_TOKEN}` });
    await postGraphql(`${url}?access_token=${PARTNER_TOKEN}`, { query: '{ products(first: 1) { sku } }' });

    // Supplier failures of every kind, through the graph (uncached products) and straight through the connectors.
    const faults = [{ errorRate: 1 }, { malformedRate: 1 }, { rejectRate: 1 }, { down: true }, { throttle: { count: 5, retryAfterSeconds: 1 } }];
    const all = await postGraphql(url, { query: '{ products(first: 200) { sku } }' });
    const uncached: string[] = all.json.data.products.map((p: { sku: string }) => p.sku).filter((s: string) => !skus.includes(s));
    expect(uncached.length).toBeGreaterThanOrEqual(faults.length);
    for (const [i, fault] of faults.entries()) {
      for (const s of stack.sandboxes.values()) s.setFaults(fault);
      await postGraphql(url, { query: `query($sku: ID!) { product(sku: $sku) { offers { available } } }`, variables: { sku: uncached[i] } });
      for (const slug of stack.connectors.keys()) await settle(connector(slug).getStock(inStock(slug, 2), ctx()));
      await recover();
    }

    // Orders with the customer's address: placed, placed again (idempotent), read, cancelled, and refused.
    for (const slug of stack.connectors.keys()) {
      const [first, second] = inStock(slug, 2);
      const order: SupplierOrder = sampleOrder([first!]);
      const ack = await connector(slug).placeOrder(order, ctx('order'));
      await connector(slug).placeOrder(order, ctx('order'));
      sandbox(slug).advanceOrder(ack.supplierOrderId, 'shipped');
      await settle(connector(slug).getOrderStatus({ supplierOrderId: ack.supplierOrderId, idempotencyKey: order.idempotencyKey }, ctx()));
      const toCancel = sampleOrder([second!]);
      const cancelAck = await connector(slug).placeOrder(toCancel, ctx('order'));
      await settle(connector(slug).cancelOrder({ supplierOrderId: cancelAck.supplierOrderId, idempotencyKey: toCancel.idempotencyKey }, ctx('order')));
      for (const fault of [{ rejectRate: 1 }, { malformedRate: 1 }]) {
        sandbox(slug).setFaults(fault);
        await settle(connector(slug).placeOrder(sampleOrder([second!]), ctx('order')));
        await recover();
      }
    }
    await stack.stores.orders.insert(sampleOrderRecord({ id: `ord-${randomUUID()}` }));

    // Webhooks: real ones from the sandboxes' stock movements, a correctly signed one, forged and stale ones.
    const brightline = sandbox('brightline') as RestSandbox;
    brightline.setStock(inStock('brightline', 1)[0]!, 7);
    await brightline.webhooksIdle();
    const webhookUrl = `${stack.subgraphs.get('inventory')!.url}/webhooks/brightline`;
    const body = JSON.stringify({ id: randomUUID(), type: 'inventory.updated', createdAt: new Date().toISOString(), data: { partNumber: inStock('brightline', 1)[0], status: 'IN_STOCK', warehouses: [{ warehouseCode: 'DAL', quantityAvailable: 3 }], lastUpdated: new Date().toISOString() } });
    const now = Math.floor(Date.now() / 1000);
    for (const [secret, t] of [[WEBHOOK_SECRET, now], [random('wrong_'), now], [WEBHOOK_SECRET, now - 86_400]] as const) {
      await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-brightline-signature': signWebhook(secret, t, body), 'x-brightline-delivery': randomUUID(), 'x-brightline-event': 'inventory.updated' }, body });
    }
    await stack.sync.worker.drain();
    await stack.sync.poller.pollNow('brightline');

    // Supplier credentials sealed in the store and opened for a connector; audit entries naming the customer.
    await vaultOf(testConfig({ SECRETS_KEK: `log-test:${KEK_MATERIAL}` }), stack.stores.credentials).set('brightline', 'clientSecret', STORED_SECRET);
    const opened = await createSupplierCredentialSource({ config: testConfig({ SECRETS_KEK: `log-test:${KEK_MATERIAL}` }), store: stack.stores.credentials, log }).resolve('brightline', { clientId: 'x' });
    expect(opened['clientSecret']).toBe(STORED_SECRET);
    const audit = createAuditLog({ store: stack.stores.audit, log });
    await audit.record({ actor: `subject:${CUSTOMER.email}`, action: 'order.placed', outcome: 'success', target: `order:${CUSTOMER.name}` });
    audit.recordInBackground({ actor: 'system', action: 'token.used', outcome: 'denied', target: `token:${PARTNER_TOKEN}` });

    // The shapes leaks take in practice, logged as any module might: a transport error whose cause chain quotes
    // a URL with a token, the request headers of a supplier call, an order with its address, and the whole config.
    const vectors = log.child({ component: 'leak-vectors', authorization: `Bearer ${PARTNER_TOKEN}` });
    const [wireToken] = [...wire];
    const socketError = new Error(`connect ECONNRESET https://api.example.com/v1/orders?access_token=${wireToken}&client_secret=${STORED_SECRET}`);
    const fetchError = new TypeError('fetch failed', { cause: socketError });
    vectors.error({ err: new Error(`supplier call for ${CUSTOMER.email} failed`, { cause: fetchError }) }, `POST https://user:${STORED_SECRET}@api.example.com failed`);
    vectors.debug({ request: { headers: { Authorization: `Bearer ${wireToken}`, 'X-Shopify-Access-Token': wireToken, Cookie: `session=${PARTNER_TOKEN}`, 'X-Shopper-Id': SHOPPER_ID }, body: { order: sampleOrder(['X']) } } }, 'outgoing request');
    vectors.trace({ config: testConfig({ GATEWAY_SIGNING_SECRET: GATEWAY_SECRET, BRIGHTLINE_WEBHOOK_SECRETS: WEBHOOK_SECRET, SECRETS_KEK: `log-test:${KEK_MATERIAL}`, BRIGHTLINE_URL: 'https://api.brightline.example', BRIGHTLINE_CLIENT_SECRET: STORED_SECRET }) }, 'effective config');
    vectors.warn(`webhook refused: <soap:password>${STORED_SECRET}</soap:password> signature=${WEBHOOK_SECRET}`);

    const output = lines.join('');
    // The run did log, at every level down to debug, including supplier calls and failures.
    const levels = new Set(lines.map((l) => (JSON.parse(l) as { level: number }).level));
    expect(levels.has(20) && levels.has(30) && levels.has(40)).toBe(true);
    expect(output).toContain('supplier http call');
    expect(wire.size).toBeGreaterThanOrEqual(2);

    const secrets = new Map<string, string>([
      ['configured webhook secret', WEBHOOK_SECRET],
      ['gateway signing secret', GATEWAY_SECRET],
      ['key-encryption key', KEK_MATERIAL],
      ['partner token', PARTNER_TOKEN],
      ...partnerTokens.map((token, i) => [`issued partner credential #${i + 1}`, token] as [string, string]),
      ['stored supplier secret', STORED_SECRET],
    ]);
    for (const [slug, s] of stack.sandboxes) {
      for (const [field, value] of Object.entries(s.credentials)) secrets.set(`${slug} ${field}`, value);
      if (s.webhookSecret) secrets.set(`${slug} webhook secret`, s.webhookSecret);
    }
    for (const value of wire) if (value.length >= 8) secrets.set(`a header value sent on the wire (${value.slice(0, 4)}…)`, value);
    const leaks = [...secrets].filter(([, value]) => output.includes(value)).map(([what]) => what);
    const personal = PERSONAL.filter((value) => output.includes(value));
    expect({ leaks, personal }).toEqual({ leaks: [], personal: [] });
  }, 240_000);
});
