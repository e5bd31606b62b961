/**
 * GATEWAY_INPROCESS_SUBGRAPHS (issue 15): the stack with the option on (every subgraph it started is called in
 * process) beside a gateway built as the `gateway` role builds one (HTTP and the signed header) over the very same
 * subgraphs and stores. The same requests, with the same request id, must answer the same JSON through both: the
 * README's product query, a listing, an order placement (ids aside), a supplier-limited partner's query and a
 * refused scope. Scopes and allowed suppliers are still enforced inside the subgraphs; no HTTP request reaches a
 * co-located subgraph's port, while maplecart's subgraph — sent elsewhere with SUBGRAPH_URL_SUPPLIER_MAPLECART, here
 * a counting relay in front of the stack's own maplecart subgraph — still gets signed requests it accepts.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryAuthGuardStore } from '../../adapters/auth-guard/memory-auth-guard-store.ts';
import { startGateway, type RunningGateway } from '../../gateway/create-gateway.ts';
import { readSupergraph } from '../../gateway/supergraph.ts';
import { GATEWAY_AUTH_HEADER } from '../../platform/auth/gateway-token.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createStackAccess } from '../../stack/access.ts';
import { AUDIENCE, ISSUER, SIGNING_SECRET, startSecureStack, type SecureStack } from '../security/support.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';

const README = `query($sku: ID!) { product(sku: $sku) { sku title stock { available } offers { __typename supplier { name } available cost { amount currency } leadTimeDays } } }`;
const OFFERS = `query($sku: ID!) { product(sku: $sku) { sku offers { __typename id supplier { name } available } } }`;
const LISTING = `query { searchProducts(first: 5) { totalCount nodes { product { sku title } } pageInfo { hasNextPage } } }`;
const ORDERS = `query { orders(first: 5) { nodes { id } } }`;
const SHIP_TO = { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB', email: 'ada@example.com', phone: '+44 20 7946 0000' };
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id idempotencyKey status
  lines { lineNumber quantity supplier status product { sku title } allocations { supplier quantity reason } }
  subOrders { supplier state status lines { lineNumber quantity } } } }`;

/** A relay in front of one subgraph: counts /graphql requests and keeps their gateway headers. */
async function startRelay(): Promise<{ url: string; target: string; seen: string[]; close(): Promise<void> }> {
  const relay = { url: '', target: '', seen: [] as string[], close: async () => {} };
  const server: Server = createServer((req, res) => {
    relay.seen.push(String(req.headers[GATEWAY_AUTH_HEADER] ?? ''));
    const target = new URL(relay.target);
    const forward = httpRequest({ host: target.hostname, port: target.port, path: '/graphql', method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  relay.close = () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return relay;
}

/**
 * What differs between two placements: the ids generated per order, and the stock figure the routing reason quotes
 * (the first order took a unit).
 */
const withoutIds = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (key, v) =>
    ['id', 'idempotencyKey'].includes(key) && typeof v === 'string' ? `<${key}>` : key === 'reason' && typeof v === 'string' ? v.replace(/\d+ available/, '<n> available') : v,
  );

describe('GATEWAY_INPROCESS_SUBGRAPHS: co-located subgraphs called in process (e2e)', () => {
  let secure: SecureStack;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let httpGateway: RunningGateway;
  const graphqlRequests = new Map<string, number>();
  let admin: string;
  let partner: string;
  let narrow: string;
  let sku: string;
  let n = 0;

  /** The same request through both gateways, with the same request id (it is in every error's extensions). */
  const both = async (token: string, body: unknown) => {
    const headers = { authorization: `Bearer ${token}`, 'x-request-id': `inproc-${++n}` };
    const before = new Map(graphqlRequests);
    const inProcess = await postGraphql(secure.url, body, headers);
    const colocatedHits = [...graphqlRequests].filter(([name, count]) => count !== before.get(name)).map(([name]) => name);
    const between = new Map(graphqlRequests);
    const overHttp = await postGraphql(httpGateway.graphqlUrl, body, headers);
    // The counters do count: the HTTP gateway's fetches reach the same ports.
    const httpHits = [...graphqlRequests].filter(([name, count]) => count !== between.get(name)).map(([name]) => name);
    return { inProcess, overHttp, colocatedHits, httpHits };
  };

  beforeAll(async () => {
    relay = await startRelay();
    secure = await startSecureStack({ GATEWAY_INPROCESS_SUBGRAPHS: 'on', SUBGRAPH_URL_SUPPLIER_MAPLECART: relay.url });
    const { stack } = secure;
    relay.target = stack.subgraphs.get('supplier-maplecart')!.url;
    for (const [name, running] of stack.subgraphs) {
      if (name === 'supplier-maplecart') continue;
      graphqlRequests.set(name, 0);
      running.server.on('request', (req: IncomingMessage) => {
        if ((req.url ?? '').startsWith('/graphql')) graphqlRequests.set(name, graphqlRequests.get(name)! + 1);
      });
    }
    // The `gateway` role's gateway (roles.ts) over the same subgraphs: HTTP and a signed header for every fetch.
    const config = testConfig({ AUTH_MODE: 'required', JWKS_URL: secure.jwks.url, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, GATEWAY_SIGNING_SECRET: SIGNING_SECRET });
    const log = silentLogger();
    httpGateway = await startGateway({
      supergraphSdl: readSupergraph(config.supergraphPath),
      subgraphUrls: { ...Object.fromEntries([...stack.subgraphs].map(([name, s]) => [name, `${s.url}/graphql`])), 'supplier-maplecart': relay.url },
      port: 0,
      host: '127.0.0.1',
      log,
      budget: config.budget,
      auth: createStackAccess(config, { ...stack.stores, authGuards: createMemoryAuthGuardStore() }, log).gateway,
    });
    admin = (await secure.issue('acme', ['admin'])).token;
    partner = (await secure.issue('acme', ['catalog:read', 'inventory:read'], { suppliers: ['brightline'] })).token;
    narrow = (await secure.issue('acme', ['catalog:read'])).token;
    const products = (await stack.stores.catalog.list(50, null)).items;
    sku = products.find((p) => new Set(p.suppliers.map((m) => m.supplier)).size === 3)?.sku ?? products[0]!.sku;
    // Offers read once, so both gateways read the same cached supplier figures.
    await postGraphql(secure.url, { query: README, variables: { sku } }, { authorization: `Bearer ${admin}` });
  }, 120_000);

  afterAll(async () => {
    await httpGateway?.close();
    await secure?.close();
    await relay?.close();
  }, 30_000);

  it('answers the README product query the same JSON as over HTTP, no HTTP request reaching a co-located subgraph', async () => {
    const { inProcess, overHttp, colocatedHits, httpHits } = await both(admin, { query: README, variables: { sku } });
    expect(inProcess.json.errors, JSON.stringify(inProcess.json.errors)).toBeUndefined();
    const offers = inProcess.json.data.product.offers as { __typename: string }[];
    expect(offers.length).toBeGreaterThanOrEqual(2);
    // Maplecart's offers came over HTTP through the relay, signed, and were accepted.
    const product = (await secure.stack.stores.catalog.list(50, null)).items.find((p) => p.sku === sku)!;
    if (product.suppliers.some((m) => m.supplier === 'maplecart')) expect(offers.map((o) => o.__typename)).toContain('MaplecartOffer');
    expect(inProcess).toEqual(overHttp);
    expect(colocatedHits).toEqual([]);
    expect(httpHits).toEqual(expect.arrayContaining(['catalog', 'inventory', 'supplier-brightline', 'supplier-harborpromo']));
  }, 30_000);

  it('answers a listing (searchProducts) the same JSON', async () => {
    const { inProcess, overHttp, colocatedHits } = await both(admin, { query: LISTING });
    expect(inProcess.json.errors, JSON.stringify(inProcess.json.errors)).toBeUndefined();
    expect(inProcess).toEqual(overHttp);
    expect(colocatedHits).toEqual([]);
  }, 30_000);

  it('places an order the same way (the same JSON but for the order ids)', async () => {
    const input = (key: string) => ({ idempotencyKey: key, shipTo: SHIP_TO, lines: [{ sku, quantity: 1 }] });
    const before = new Map(graphqlRequests);
    const inProcess = await postGraphql(secure.url, { query: PLACE, variables: { input: input(`inproc-on-${Date.now()}`) } }, { authorization: `Bearer ${admin}`, 'x-request-id': 'inproc-order' });
    expect([...graphqlRequests].filter(([name, count]) => count !== before.get(name))).toEqual([]);
    const overHttp = await postGraphql(httpGateway.graphqlUrl, { query: PLACE, variables: { input: input(`inproc-off-${Date.now()}`) } }, { authorization: `Bearer ${admin}`, 'x-request-id': 'inproc-order' });
    expect(inProcess.json.errors, JSON.stringify(inProcess.json.errors)).toBeUndefined();
    expect(inProcess.json.data.placeOrder.lines[0].product.sku).toBe(sku);
    expect(withoutIds(inProcess)).toEqual(withoutIds(overHttp));
  }, 60_000);

  it('a partner limited to brightline sees only brightline offers; its refusals are the same JSON', async () => {
    const limited = await both(partner, { query: OFFERS, variables: { sku } });
    expect(limited.inProcess.json.errors, JSON.stringify(limited.inProcess.json.errors)).toBeUndefined();
    const offers = limited.inProcess.json.data.product.offers as { __typename: string; supplier: { name: string } }[];
    expect(offers.length).toBeGreaterThan(0);
    expect(new Set(offers.map((o) => o.__typename))).toEqual(new Set(['BrightlineOffer']));
    expect(limited.inProcess).toEqual(limited.overHttp);
    expect(limited.colocatedHits).toEqual([]);
    // A missing scope: refused (orders:read), the same answer either way.
    const refused = await both(narrow, { query: ORDERS });
    expect(refused.inProcess.json.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.inProcess).toEqual(refused.overHttp);
  }, 30_000);

  it('the subgraphs still enforce scopes and suppliers on what is handed to them in process', async () => {
    const call = { requestId: 'inproc-direct', budgetMs: 5_000 };
    const orders = secure.stack.subgraphs.get('orders') as unknown as { inProcess: { execute: Function } };
    const refused = await orders.inProcess.execute({ query: ORDERS }, { ...call, principal: { kind: 'api-token', subject: 't', tenant: 'acme', scopes: ['catalog:read'] } });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.body.data ?? null).toBeNull();
    const harborpromo = secure.stack.subgraphs.get('supplier-harborpromo') as unknown as { inProcess: { execute: Function } };
    const product = (await secure.stack.stores.catalog.list(50, null)).items.find((p) => p.sku === sku)!;
    const mapping = product.suppliers.find((m) => m.supplier === 'harborpromo');
    if (mapping) {
      const entities = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on HarborpromoOffer { id available } } }`;
      const hidden = await harborpromo.inProcess.execute(
        { query: entities, variables: { representations: [{ __typename: 'HarborpromoOffer', id: `harborpromo:${mapping.supplierSku}` }] } },
        { ...call, principal: { kind: 'api-token', subject: 't', tenant: 'acme', scopes: ['catalog:read', 'inventory:read'], suppliers: ['brightline'] } },
      );
      expect(JSON.stringify(hidden.body)).not.toContain('"available"');
    }
  }, 30_000);

  it('maplecart, sent elsewhere, still gets signed requests over HTTP, which it accepts', () => {
    expect(relay.seen.length).toBeGreaterThan(0);
    for (const header of relay.seen) expect(header).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});
