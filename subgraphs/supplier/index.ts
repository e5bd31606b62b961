import { buildSubgraphSchema } from '@apollo/subgraph';
import type { Money } from '../../kernel/model.ts';
import type { LandedCostView } from '../pricing/sell-price.ts';
import { parse, type GraphQLSchema } from 'graphql';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import { readSubgraphSdl } from '../../schema/subgraphs.ts';
import type { Cache } from '../../platform/ports/cache.ts';
import type { SupplierMetrics } from '../../platform/metrics.ts';
import type { SupplierDescriptor } from '../../platform/supplier-registry.ts';
import type { SubgraphContext } from '../context.ts';
import type { SupplierContext } from './context.ts';
import { createOfferLoader } from './offer-loader.ts';
import { partnerShareGate, type PartnerShare } from './partner-share.ts';

const withGate = (gate: (() => Promise<void>) | undefined) => (gate ? { beforeSupplierCall: gate } : {});
import { createSupplierResolvers } from './resolvers.ts';
import { scalarResolvers } from '../scalars.ts';
import { OfferFailures } from './offer-failures.ts';
import { unknownStatus, type SupplierStatusView } from './status-view.ts';
import { reportOfferFailures } from './report-failures-plugin.ts';
import type { ApolloServerPlugin } from '@apollo/server';
import { deadlineSignal } from '../../adapters/core/policies/timeout.ts';
import { createLogThrottle } from '../../platform/log-throttle.ts';

export interface SupplierSubgraphOptions {
  readonly descriptor: SupplierDescriptor;
  readonly connector: SupplierConnector;
  readonly cache: Cache;
  readonly offerTtlMs: number;
  /** How long last known offers are kept for degraded reads. */
  readonly lastKnownTtlMs?: number;
  readonly metrics?: SupplierMetrics;
  /** The operators' view of this supplier (breaker, quota, last error). */
  readonly status?: () => Promise<SupplierStatusView>;
  readonly onSupplierCall?: (skus: readonly string[]) => void;
  /** Each partner's share of this supplier's request budget (docs/security.md); unlimited when absent. */
  readonly partnerShare?: PartnerShare;
  /** `Offer.landedCost`: cost + known shipping in the store currency (subgraphs/pricing/); null everywhere when absent. */
  readonly landedCost?: (cost: Money) => LandedCostView | null;
}

export interface SupplierSubgraph {
  readonly name: string;
  readonly schema: GraphQLSchema;
  readonly extendContext: (base: SubgraphContext) => SupplierContext;
  readonly plugins: ApolloServerPlugin<SupplierContext>[];
}

/** One supplier's subgraph: its generated SDL, the shared offer resolvers, and a per-request offer loader. */
export function createSupplierSubgraph(options: SupplierSubgraphOptions): SupplierSubgraph {
  const { descriptor } = options;
  const name = `supplier-${descriptor.slug}`;
  // One per subgraph, across requests: while the supplier is down every request fails the same way.
  const warnings = createLogThrottle();
  const schema = buildSubgraphSchema({
    typeDefs: parse(readSubgraphSdl(name)),
    resolvers: { ...scalarResolvers, ...createSupplierResolvers(descriptor, options.status ?? (async () => unknownStatus(descriptor.slug, descriptor.displayName)), options.landedCost) } as never,
  });
  return {
    name,
    schema,
    plugins: [reportOfferFailures()],
    extendContext: (base) => ({
      ...base,
      failures: new OfferFailures(),
      offers: createOfferLoader({
        connector: options.connector,
        cache: options.cache,
        ttlMs: options.offerTtlMs,
        log: base.log,
        requestId: base.requestId,
        // The supplier call, its retries and waits end by the budget less the reserve, so there is time to answer
        // with the last known figures before the gateway stops waiting (docs/architecture.md).
        signal: deadlineSignal(base.budget.deadlineAt - base.reserveMs),
        warnings,
        ...(options.onSupplierCall ? { onSupplierCall: options.onSupplierCall } : {}),
        ...withGate(options.partnerShare && partnerShareGate({ warnings, ...options.partnerShare }, descriptor.slug, base.auth)),
        ...(options.lastKnownTtlMs === undefined ? {} : { lastKnownTtlMs: options.lastKnownTtlMs }),
        ...(options.metrics ? { onCacheLookup: (result: 'hit' | 'miss', count: number) => options.metrics!.cacheLookups(descriptor.slug, result, count) } : {}),
      }),
    }),
  };
}
