/**
 * GATEWAY_INPROCESS_SUBGRAPHS with a slow supplier (issue 15; issue 12's guarantee kept): every subgraph is called in
 * process, maplecart's sandbox answers 4 s late, and a product read with a 1.5 s budget still answers within the
 * budget plus the grace: only maplecart's offers are degraded (null figures with an error naming it, in
 * `degradedSuppliers`), brightline's are live. The budget reached the in-process supplier subgraph
 * (its loader cut the supplier call at the deadline less the reserve), so the gateway's own cut never fired.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { seedFewProducts } from '../fault/seed-catalog.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';
import { cleanUpTestData } from '../support/test-data.ts';

const BUDGET_MS = 1_500;
const GRACE_MS = 500;
const OFFERS = `offers { __typename id supplier { name } available stale }`;

describe('GATEWAY_INPROCESS_SUBGRAPHS: a slow supplier degrades only its own offers, within the budget (e2e)', () => {
  let stack: Stack;
  let config: ReturnType<typeof testConfig>;
  let sku: string;
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    config = testConfig({
      GATEWAY_INPROCESS_SUBGRAPHS: 'on',
      SUBGRAPH_TIMEOUT_GRACE_MS: String(GRACE_MS),
      OFFER_CACHE_TTL_MS: '0',
      BRIGHTLINE_POLL_INTERVAL_MS: '0',
      HARBORPROMO_POLL_INTERVAL_MS: '0',
      MAPLECART_POLL_INTERVAL_MS: '0',
      RECONCILE_INTERVAL_MS: '0',
    });
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    stack = await startStack({ config, log: createLogger({ level: 'warn', destination }), subgraphPorts: 'random', seed: false });
    const seeded = await seedFewProducts({ connectors: [...stack.connectors.values()], catalog: stack.stores.catalog, log: createLogger({ level: 'silent' }), perSupplier: 12 });
    sku = (seeded.get('brightline') ?? []).find((s) => seeded.get('maplecart')?.includes(s))!;
    expect(sku, 'a product carried by brightline and maplecart').toBeDefined();
  }, 120_000);

  afterAll(async () => {
    stack?.sandboxes.get('maplecart')?.resetFaults();
    if (stack) {
      await stack.close();
      await cleanUpTestData(config);
    }
  }, 60_000);

  it('answers within the budget with maplecart degraded and the others live', async () => {
    stack.sandboxes.get('maplecart')!.setFaults({ latencyMs: 4_000 });
    const started = performance.now();
    const { status, json } = await postGraphql(
      stack.gateway.graphqlUrl,
      { query: `query($sku: ID!) { product(sku: $sku) { sku title ${OFFERS} } }`, variables: { sku } },
      { 'x-request-budget-ms': String(BUDGET_MS), 'x-request-id': 'inproc-slow-1' },
    );
    const elapsed = performance.now() - started;
    stack.sandboxes.get('maplecart')!.resetFaults();
    expect(status).toBe(200);
    expect(elapsed).toBeLessThan((BUDGET_MS + GRACE_MS) * 1.1);
    expect(json.data.product.sku).toBe(sku);
    const offers = json.data.product.offers as Record<string, any>[];
    const slow = offers.filter((o) => o.__typename === 'MaplecartOffer');
    const others = offers.filter((o) => o.__typename !== 'MaplecartOffer');
    expect(slow.length).toBeGreaterThanOrEqual(1);
    for (const offer of slow) expect(offer).toMatchObject({ id: expect.stringMatching(/^maplecart:/), available: null });
    expect(others.length).toBeGreaterThanOrEqual(1);
    for (const offer of others) {
      expect(typeof offer.available).toBe('number');
      expect(offer.stale).toBe(false);
    }
    const named = (json.errors as any[]).filter((e) => e.extensions?.supplier === 'maplecart');
    expect(named.length, JSON.stringify(json.errors)).toBeGreaterThanOrEqual(1);
    for (const error of json.errors as any[]) expect(error.extensions).toMatchObject({ code: expect.any(String), requestId: 'inproc-slow-1' });
    expect((json.errors as any[]).some((e) => e.extensions?.code === 'SUBGRAPH_TIMEOUT'), 'the subgraph answered degraded before the gateway cut it').toBe(false);
    expect(JSON.stringify(json.extensions?.degradedSuppliers ?? [])).toContain('maplecart');
    expect(JSON.stringify(json.extensions?.degradedSuppliers ?? [])).not.toContain('brightline');
  }, 30_000);
});
