/**
 * One deadline, client mistakes and request ids, from outside (issue 12, points 1, 4, 5): a whole stack over real
 * HTTP, one supplier subgraph replaced by a process that accepts connections and never answers (stuck), another by
 * a port that refuses them (gone). The gateway stops waiting at the request's budget plus its grace, logs each
 * naming the subgraph and supplier, and answers the rest: the product and the page stay, only those suppliers' offer
 * fields are null.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { SUPPLIERS } from '../../platform/supplier-registry.ts';
import { seedFewProducts } from '../fault/seed-catalog.ts';
import { NO_BACKGROUND_SYNC, postGraphql, testConfig } from '../support/stack-env.ts';
import { cleanUpTestData } from '../support/test-data.ts';
import { startSilentServer } from '../support/silent-server.ts';

const GRACE_MS = 500;
const BUDGET_MS = 1_500;
const OFFERS = `offers { __typename id supplier { name } supplierSku available stale asOf }`;

describe('request budget, client mistakes and request ids (e2e)', () => {
  let stack: Stack;
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  let refusedUrl: string;
  let url: string;
  let shared: string;
  let sharedWithGone: string;
  let stackConfig: ReturnType<typeof testConfig>;
  const logs: Record<string, unknown>[] = [];
  const config = () =>
    testConfig({
      SUBGRAPH_TIMEOUT_GRACE_MS: String(GRACE_MS),
      SUBGRAPH_URL_SUPPLIER_MAPLECART: silent.url,
      SUBGRAPH_URL_SUPPLIER_HARBORPROMO: refusedUrl,
      ...NO_BACKGROUND_SYNC,
    });

  beforeAll(async () => {
    silent = await startSilentServer();
    // A port that was free a moment ago: connections to it are refused.
    const gone = await startSilentServer();
    refusedUrl = gone.url;
    await gone.close();
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    stackConfig = config();
    stack = await startStack({ config: stackConfig, log: createLogger({ level: 'warn', destination }), subgraphPorts: 'random', seed: false });
    url = stack.gateway.graphqlUrl;
    const seeded = await seedFewProducts({ connectors: [...stack.connectors.values()], catalog: stack.stores.catalog, log: createLogger({ level: "silent" }), perSupplier: 12 });
    // A product carried by brightline (healthy) and maplecart (stuck), and one carried by harborpromo (gone).
    shared = (seeded.get('brightline') ?? []).find((sku) => seeded.get('maplecart')?.includes(sku))!;
    sharedWithGone = seeded.get('harborpromo')![0]!;
    expect(shared, 'a product carried by brightline and maplecart').toBeDefined();
  }, 120_000);

  afterAll(async () => {
    if (stack) {
      await stack.close();
      await cleanUpTestData(stackConfig);
    }
    await silent?.close();
  }, 60_000);

  it('answers a product within its budget when a supplier subgraph hangs: that supplier\'s fields null and named, the rest intact', async () => {
    const started = performance.now();
    const { status, json } = await postGraphql(
      url,
      { query: `query($sku: ID!, $other: ID!) { product(sku: $sku) { sku title ${OFFERS} } other: product(sku: $other) { sku ${OFFERS} } }`, variables: { sku: shared, other: sharedWithGone } },
      { 'x-request-budget-ms': String(BUDGET_MS), 'x-request-id': 'budget-e2e-1' },
    );
    const elapsed = performance.now() - started;
    expect(status).toBe(200);
    expect(elapsed).toBeLessThan((BUDGET_MS + GRACE_MS) * 1.1);
    expect(json.data.product.sku).toBe(shared);
    expect(json.data.other.sku).toBe(sharedWithGone);
    const offers = [...json.data.product.offers, ...json.data.other.offers] as Record<string, any>[];
    const mine = offers.filter((o) => o.__typename === 'MaplecartOffer');
    const gone = offers.filter((o) => o.__typename === 'HarborpromoOffer');
    const others = offers.filter((o) => o.__typename === 'BrightlineOffer');
    expect(mine.length).toBeGreaterThanOrEqual(1);
    for (const offer of mine) expect(offer).toMatchObject({ id: expect.stringMatching(/^maplecart:/), supplier: null, supplierSku: null, available: null, stale: null });
    for (const offer of gone) expect(offer).toMatchObject({ id: expect.stringMatching(/^harborpromo:/), supplier: null, available: null, stale: null });
    expect(others.length).toBeGreaterThan(0);
    for (const offer of others) {
      expect(offer.supplier.name).toBe(SUPPLIERS.find((s) => s.offerType === offer.__typename)!.slug);
      expect(typeof offer.available).toBe('number');
      expect(offer.stale).toBe(false);
    }
    const timeout = (json.errors as any[]).find((e) => e.extensions?.code === 'SUBGRAPH_TIMEOUT');
    expect(timeout?.extensions).toMatchObject({ subgraph: 'supplier-maplecart', supplier: 'maplecart', requestId: 'budget-e2e-1' });
    expect(gone.length).toBeGreaterThanOrEqual(1);
    const unreachable = (json.errors as any[]).find((e) => e.extensions?.code === 'SUBGRAPH_UNREACHABLE');
    expect(unreachable?.extensions).toMatchObject({ subgraph: 'supplier-harborpromo', supplier: 'harborpromo', requestId: 'budget-e2e-1' });
    expect(logs.find((l) => l['msg'] === 'subgraph unreachable' && l['requestId'] === 'budget-e2e-1')).toMatchObject({ subgraph: 'supplier-harborpromo', supplier: 'harborpromo' });
    // No error of this answer is anonymous: each names its code and the request.
    for (const error of json.errors as any[]) expect(error.extensions).toMatchObject({ code: expect.any(String), requestId: 'budget-e2e-1' });
    // One log line for it, naming the subgraph, the supplier and the request.
    const line = logs.find((l) => l['msg'] === 'subgraph did not answer within the request budget' && l['requestId'] === 'budget-e2e-1');
    expect(line).toMatchObject({ subgraph: 'supplier-maplecart', supplier: 'maplecart', budgetMs: expect.any(Number) });
    expect(line!['budgetMs'] as number).toBeLessThanOrEqual(BUDGET_MS);
  }, 30_000);

  it('never empties a page: productPage and products keep every product when a supplier subgraph hangs', async () => {
    const started = performance.now();
    const { status, json } = await postGraphql(url, { query: `{ productPage(first: 20) { totalCount nodes { sku ${OFFERS} } } products(first: 5) { sku ${OFFERS} } }` }, { 'x-request-budget-ms': String(BUDGET_MS) });
    expect(performance.now() - started).toBeLessThan((BUDGET_MS + GRACE_MS) * 1.1);
    expect(status, JSON.stringify(json.errors)).toBe(200);
    expect(json.data.productPage.nodes.length).toBeGreaterThan(0);
    expect(json.data.products).toHaveLength(5);
    for (const product of [...json.data.productPage.nodes, ...json.data.products]) {
      expect(product.sku).toBeTruthy();
      for (const offer of product.offers) {
        if (offer.__typename === 'BrightlineOffer') expect(offer.supplier).not.toBeNull();
        else expect(offer.supplier).toBeNull();
      }
    }
  }, 30_000);

  it('answers 400, with the request id, for client mistakes it used to answer 500', async () => {
    const two = 'query A { products(first: 1) { sku } } query B { products(first: 2) { sku } }';
    const cases: { body: unknown; headers?: Record<string, string>; code: string }[] = [
      { body: { query: two }, code: 'OPERATION_RESOLUTION_FAILURE' },
      { body: { query: two, operationName: 'C' }, code: 'OPERATION_RESOLUTION_FAILURE' },
      { body: { query: '{ products(first: 1) { sku } }', operationName: 'Missing' }, code: 'OPERATION_RESOLUTION_FAILURE' },
      { body: { query: 'subscription { stockChanged(skus: ["x"]) { __typename } }' }, code: 'BAD_REQUEST' },
      { body: { query: '{ products(first: 1) { sku } }' }, headers: { 'x-request-budget-ms': 'soon' }, code: 'BAD_REQUEST' },
    ];
    for (const [i, c] of cases.entries()) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': `mistake-${i}`, ...c.headers }, body: JSON.stringify(c.body) });
      const json = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect({ i, status: response.status, code: json.errors?.[0]?.extensions.code }).toEqual({ i, status: 400, code: c.code });
      expect(response.headers.get('x-request-id')).toBe(`mistake-${i}`);
      expect(json.errors[0]!.extensions['requestId']).toBe(`mistake-${i}`);
    }
  }, 30_000);

  it('makes a request id when none (or an unsafe one) is given, and returns it', async () => {
    for (const given of [undefined, 'bad id with spaces', 'x'.repeat(200)]) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(given === undefined ? {} : { 'x-request-id': given }) }, body: JSON.stringify({ query: '{ nope }' }) });
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const json = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect(response.status).toBe(400);
      expect(json.errors[0]!.extensions['requestId']).toBe(id);
    }
  });
});
