/**
 * Adaptive admission from outside (GATEWAY_ADMISSION, docs/configuration.md "Admission"): a whole stack over real
 * HTTP with the gateway's event loop really saturated (a CPU burner in its process) and one supplier subgraph that
 * hangs. An operation that cannot get its turn within half its budget is refused with GATEWAY_SATURATED (503,
 * Retry-After, the request id), counted on /metrics, and nothing was done; once the loop has spare time the next
 * operation runs and answers in full.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { seedFewProducts } from '../fault/seed-catalog.ts';
import { NO_BACKGROUND_SYNC, postGraphql, testConfig } from '../support/stack-env.ts';
import { cleanUpTestData } from '../support/test-data.ts';
import { startSilentServer } from '../support/silent-server.ts';

/** Keeps this process's event loop ~100 % busy in 20 ms slices until stopped. */
function burnCpu(): () => void {
  let on = true;
  const slice = () => {
    if (!on) return;
    const until = Date.now() + 20;
    while (Date.now() < until);
    setImmediate(slice);
  };
  setImmediate(slice);
  return () => {
    on = false;
  };
}

describe('adaptive admission under a saturated event loop (e2e)', () => {
  let stack: Stack;
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  let stackConfig: ReturnType<typeof testConfig>;
  let maplecartSku: string;
  let brightlineOnly: string;

  beforeAll(async () => {
    silent = await startSilentServer();
    stackConfig = testConfig({
      GATEWAY_ADMISSION: 'adaptive',
      GATEWAY_ADMISSION_MIN: '1',
      SUBGRAPH_URL_SUPPLIER_MAPLECART: silent.url,
      ...NO_BACKGROUND_SYNC,
    });
    stack = await startStack({ config: stackConfig, log: createLogger({ level: 'silent' }), subgraphPorts: 'random', seed: false });
    const seeded = await seedFewProducts({ connectors: [...stack.connectors.values()], catalog: stack.stores.catalog, log: createLogger({ level: 'silent' }), perSupplier: 6 });
    maplecartSku = seeded.get('maplecart')![0]!;
    brightlineOnly = seeded.get('brightline')!.find((sku) => !seeded.get('maplecart')!.includes(sku))!;
    expect(brightlineOnly, 'a product maplecart does not carry').toBeDefined();
  }, 120_000);

  afterAll(async () => {
    if (stack) {
      await stack.close();
      await cleanUpTestData(stackConfig);
    }
    await silent?.close();
  }, 60_000);

  it('refuses with GATEWAY_SATURATED, 503 and Retry-After when its turn does not come within half its budget; the next runs once the loop has room', async () => {
    // One operation holds the only turn a saturated loop leaves: its maplecart fetch hangs until its budget ends.
    const holding = postGraphql(stack.gateway.graphqlUrl, { query: `query($sku: ID!) { product(sku: $sku) { sku offers { id available } } }`, variables: { sku: maplecartSku } }, { 'x-request-budget-ms': '4000' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stop = burnCpu();
    let refused: { status: number; headers: Headers; json: any };
    let waitedMs: number;
    try {
      // The sampler (every 100 ms) sees the saturated loop and brings the limit down to the one running.
      await new Promise((resolve) => setTimeout(resolve, 400));
      const started = Date.now();
      const response = await fetch(stack.gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-budget-ms': '1000', 'x-request-id': 'admission-e2e-1' },
        body: JSON.stringify({ query: `query($sku: ID!) { product(sku: $sku) { sku title } }`, variables: { sku: brightlineOnly } }),
      });
      refused = { status: response.status, headers: response.headers, json: await response.json() };
      waitedMs = Date.now() - started;
    } finally {
      stop();
    }
    expect(refused.status, JSON.stringify(refused.json)).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.json.data).toBeUndefined();
    expect(refused.json.errors).toHaveLength(1);
    expect(refused.json.errors[0].extensions).toMatchObject({ code: 'GATEWAY_SATURATED', requestId: 'admission-e2e-1', retryAfterMs: 1000 });
    // Half of its 1,000 ms budget (less what reading and checking it took), not the whole.
    expect(waitedMs).toBeGreaterThanOrEqual(350);
    expect(waitedMs).toBeLessThan(1_000);

    // Spare CPU with nobody else running: the next operation is admitted and answers in full.
    const next = await postGraphql(stack.gateway.graphqlUrl, { query: `query($sku: ID!) { product(sku: $sku) { sku title } }`, variables: { sku: brightlineOnly } });
    expect(next.status).toBe(200);
    expect(next.json.errors).toBeUndefined();
    expect(next.json.data.product.sku).toBe(brightlineOnly);
    const held = await holding;
    expect(held.status).toBe(200);
    expect(held.json.data.product.sku).toBe(maplecartSku);

    const metrics = await (await fetch(`${stack.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^gateway_admission_refused_total(\{[^}]*\})? 1$/m);
    expect(metrics).toMatch(/^gateway_admission_limit(\{[^}]*\})? \d+$/m);
  }, 60_000);
  it('does not throttle operations that wait on a slow supplier: after a saturated spell, eight hanging queries still run together', async () => {
    // Bring the limit down to the floor (1) with a really busy loop and one operation running.
    const holding = postGraphql(stack.gateway.graphqlUrl, { query: `query($sku: ID!) { product(sku: $sku) { sku offers { id available } } }`, variables: { sku: maplecartSku } }, { 'x-request-budget-ms': '1500' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stop = burnCpu();
    await new Promise((resolve) => setTimeout(resolve, 400));
    stop();
    await holding;
    // Eight operations whose maplecart fetch hangs for their whole 1,500 ms budget: the loop idles while they wait,
    // so the limit doubles until all run at once. One at a time they would take 8 × 1.5 s; refused, they would 503.
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        postGraphql(stack.gateway.graphqlUrl, { query: `query($sku: ID!) { product(sku: $sku) { sku offers { id available } } }`, variables: { sku: maplecartSku } }, { 'x-request-budget-ms': '1500' }),
      ),
    );
    const elapsedMs = Date.now() - started;
    for (const answer of answers) {
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      expect(answer.json.data.product.sku).toBe(maplecartSku);
      // The slow supplier's part times out as SUBGRAPH_TIMEOUT: degraded, not refused at the gate.
      expect((answer.json.errors as any[]).map((e) => e.extensions.code)).not.toContain('GATEWAY_SATURATED');
    }
    // Budget (1,500) plus the gateway's grace (1,000) plus the limit's ramp (a few 100 ms samples), not 8 × that.
    expect(elapsedMs).toBeLessThan(4_500);
  }, 60_000);
});
