/**
 * /readyz's three states (issue 12): "ready"; "degraded" (200) when a store is down but every subgraph answers —
 * proven on real Redis and FerretDB outages in redis-outage / mongo-outage.fault.test.ts —; and "not ready" (503)
 * only when a subgraph does not answer, proven here by closing one subgraph's server of an embedded stack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { loadConfig } from '../../platform/config.ts';

describe('/readyz: not ready only when a subgraph does not answer', () => {
  let stack: Stack;

  beforeAll(async () => {
    // Embedded stores: no Redis or MongoDB to be down, so only the subgraphs decide.
    const config = loadConfig({ GATEWAY_PORT: '0', LOG_LEVEL: 'silent', BRIGHTLINE_POLL_INTERVAL_MS: '0', HARBORPROMO_POLL_INTERVAL_MS: '0', MAPLECART_POLL_INTERVAL_MS: '0', RECONCILE_INTERVAL_MS: '0' });
    stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false, orderLoopMs: 0 });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('is 200 "ready" with every subgraph answering and no store down', async () => {
    const response = await fetch(`${stack.gateway.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', dependencies: [] });
  });

  it('is 503 "not ready", naming the subgraph, when one does not answer', async () => {
    await stack.subgraphs.get('catalog')!.close();
    const started = performance.now();
    const response = await fetch(`${stack.gateway.url}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; subgraphs: { name: string; ok: boolean }[] };
    expect(body.status).toBe('not ready');
    expect(body.subgraphs.filter((s) => !s.ok).map((s) => s.name)).toEqual(['catalog']);
    expect(performance.now() - started).toBeLessThan(3_000);
  }, 10_000);
});
