import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import { readSubgraphSdl } from '../../schema/subgraphs.ts';
import type { Cache } from '../../platform/ports/cache.ts';
import type { SupplierDescriptor } from '../supplier-registry.ts';
import type { SubgraphContext } from '../context.ts';
import type { SupplierContext } from './context.ts';
import { createOfferLoader } from './offer-loader.ts';
import { createSupplierResolvers } from './resolvers.ts';
import { scalarResolvers } from '../scalars.ts';
import { OfferFailures } from './offer-failures.ts';
import { reportOfferFailures } from './report-failures-plugin.ts';
import type { ApolloServerPlugin } from '@apollo/server';

export interface SupplierSubgraphOptions {
  readonly descriptor: SupplierDescriptor;
  readonly connector: SupplierConnector;
  readonly cache: Cache;
  readonly offerTtlMs: number;
  readonly onSupplierCall?: (skus: readonly string[]) => void;
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
  const schema = buildSubgraphSchema({
    typeDefs: parse(readSubgraphSdl(name)),
    resolvers: { ...scalarResolvers, ...createSupplierResolvers(descriptor) } as never,
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
        ...(options.onSupplierCall ? { onSupplierCall: options.onSupplierCall } : {}),
      }),
    }),
  };
}
