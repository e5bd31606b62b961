/**
 * The maplecart webhook item lookup used to build its own GraphQL client, outside the shared rate limits and the
 * breaker. It is now the connector's `lookupItems` operation: the family's resolver calls the production connector
 * (built by the family, wrapped in maplecart's traffic policies as the stack does), so a lookup spends the shared
 * cost bucket, feeds the supplier's reported cost back to it, and an open stock breaker refuses it before any
 * request reaches the supplier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupOf, type SupplierConnector } from '../../adapters/core/connector.ts';
import { RegistryError } from '../../kernel/errors.ts';
import { createOutboundPolicy } from '../../adapters/core/outbound-policy.ts';
import { createMemoryBucketStore } from '../../adapters/ratelimit/memory-bucket-store.ts';
import type { MaplecartConnector } from '../../adapters/suppliers/maplecart/connector.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createMetrics } from '../../platform/metrics.ts';
import { createGraphqlSandbox, type GraphqlSandbox } from '../../sandboxes/graphql/index.ts';
import { testContext } from '../../test/contract/supplier-connector.contract.ts';
import { createConnector } from '../connectors.ts';
import { publishedLimitsOf, supplierLimitsOf } from '../supplier-limits.ts';
import { createSupplierTraffic } from '../supplier-traffic.ts';
import { maplecartGraphqlFamily } from './maplecart-graphql.ts';

describe('maplecart item lookups go through its connector', () => {
  let sandbox: GraphqlSandbox;
  beforeAll(async () => {
    sandbox = await createGraphqlSandbox({});
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('spend the shared cost bucket through connector.lookupItems, are remembered, and are refused by an open circuit before any request', async () => {
    const log = silentLogger();
    const entry = loadConfig({}).supplierEntries.find((e) => e.family === 'maplecart-graphql')!;
    const traffic = createSupplierTraffic(entry.slug, {
      store: createMemoryBucketStore(),
      metrics: createMetrics({ defaultMetrics: false }).supplier,
      log,
      timeoutMs: 2_000,
      limits: supplierLimitsOf(publishedLimitsOf(entry.slug, undefined, entry)),
    });
    const outbound = createOutboundPolicy({ supplier: entry.slug, allowLoopbackHttp: true, pins: [], log });
    // The production path: the family's connector under the supplier's traffic policies, as stack/open-suppliers.ts builds it.
    const connector: SupplierConnector = await createConnector({ entry, url: sandbox.url, credentials: sandbox.credentials, policies: traffic.policies, outbound, log });
    let lookupCalls = 0;
    const counted: SupplierConnector = new Proxy(connector, {
      get(target, property) {
        if (property === 'lookupItems') return (ids: readonly string[], ctx: Parameters<NonNullable<SupplierConnector['lookupItems']>>[1]) => ((lookupCalls += 1), target.lookupItems!(ids, ctx));
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const lookups = maplecartGraphqlFamily.itemLookups!({ entry, connector: counted });

    try {
      const before = (await traffic.limiter.peek())['cost']!;
      sandbox.resetStats();
      // Inventory item 46 100 000 000 + n belongs to universe product n; this catalog carries 8 and 9, not 7.
      const skus = await lookups.skusOf(['46100000007', '46100000008', '46100000009', 'not-an-id'], testContext());
      expect([...skus.keys()].sort()).toEqual(['46100000008', '46100000009']);
      for (const [id, sku] of skus) {
        expect(sandbox.supplierSkus()).toContain(sku);
        expect(sku.endsWith(`-${Number(id) - 46_100_000_000}`)).toBe(true);
      }
      expect(lookupCalls).toBe(1);
      expect(sandbox.stats().total).toBe(1);
      // The lookup ran on the connector's own client: the supplier's reported bucket is what the shared limiter now holds.
      const reported = (connector as MaplecartConnector).throttleStatus();
      expect(reported).not.toBeNull();
      const after = (await traffic.limiter.peek())['cost']!;
      expect(after).toBeLessThan(before);
      expect(after).toBeLessThanOrEqual(reported!.currentlyAvailable + 50);

      // Remembered ids cost no call and no tokens.
      expect((await lookups.skusOf(['46100000008'], testContext())).get('46100000008')).toBe(skus.get('46100000008'));
      expect(lookupCalls).toBe(1);
      expect(sandbox.stats().total).toBe(1);

      // Critical failures (three by default) open the breaker the connector's stock reads share.
      const stockBreaker = traffic.breakers[groupOf('lookupItems')];
      expect(stockBreaker).toBe(traffic.breakers[groupOf('getStock')]);
      for (let i = 0; i < 3; i += 1) stockBreaker.admit('getStock').record(new RegistryError('MISCONFIGURED', 'refused', { supplier: entry.slug }));
      expect(stockBreaker.state()).toBe('open');
      await expect(lookups.skusOf(['46100000010'], testContext())).rejects.toMatchObject({ code: 'SUPPLIER_CIRCUIT_OPEN' });
      expect(lookupCalls).toBe(2);
      expect(sandbox.stats().total).toBe(1);
    } finally {
      await connector.close();
      await outbound.close();
    }
  });
});
