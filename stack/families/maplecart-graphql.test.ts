/**
 * The maplecart webhook item lookup used to build its own GraphQL client, outside the shared rate limits and the
 * breaker. Its family now runs it under maplecart's traffic policies: it spends the shared cost bucket, and an open
 * circuit refuses it without a request reaching the supplier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupOf } from '../../adapters/core/connector.ts';
import { RegistryError } from '../../adapters/core/errors.ts';
import { createMemoryBucketStore } from '../../adapters/ratelimit/memory-bucket-store.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createMetrics } from '../../platform/metrics.ts';
import { createGraphqlSandbox, type GraphqlSandbox } from '../../sandboxes/graphql/index.ts';
import { testContext } from '../../test/contract/supplier-connector.contract.ts';
import { publishedLimitsOf, supplierLimitsOf } from '../supplier-limits.ts';
import { createSupplierTraffic } from '../supplier-traffic.ts';
import { maplecartGraphqlFamily } from './maplecart-graphql.ts';
import { createPolicedCall } from './policed-call.ts';

describe('maplecart item lookups go through its traffic policies', () => {
  let sandbox: GraphqlSandbox;
  beforeAll(async () => {
    sandbox = await createGraphqlSandbox({});
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('spend the shared cost bucket, and are refused by an open circuit before any request', async () => {
    const entry = loadConfig({}).supplierEntries.find((e) => e.family === 'maplecart-graphql')!;
    const traffic = createSupplierTraffic(entry.slug, {
      store: createMemoryBucketStore(),
      metrics: createMetrics({ defaultMetrics: false }).supplier,
      log: silentLogger(),
      timeoutMs: 2_000,
      limits: supplierLimitsOf(publishedLimitsOf(entry.slug, undefined, entry)),
    });
    const lookups = maplecartGraphqlFamily.itemLookups!({ entry, url: sandbox.url, credentials: sandbox.credentials, policed: createPolicedCall(entry.slug, traffic.policies) });

    const before = (await traffic.limiter.peek())['cost']!;
    sandbox.resetStats();
    await lookups.skusOf(['46100000007', '46100000008'], testContext());
    expect(sandbox.stats().total).toBe(1);
    expect((await traffic.limiter.peek())['cost']!).toBeLessThan(before);

    // Critical failures (three by default) open the breaker the connector's stock reads share.
    const stockBreaker = traffic.breakers[groupOf('getStock')];
    for (let i = 0; i < 3; i += 1) stockBreaker.admit('getStock').record(new RegistryError('MISCONFIGURED', 'refused', { supplier: entry.slug }));
    expect(stockBreaker.state()).toBe('open');
    await expect(lookups.skusOf(['46100000009'], testContext())).rejects.toMatchObject({ code: 'SUPPLIER_CIRCUIT_OPEN' });
    expect(sandbox.stats().total).toBe(1);
  });
});
