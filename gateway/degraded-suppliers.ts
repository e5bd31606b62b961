import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { DEGRADED_EXTENSION } from '../platform/degraded-extension.ts';
import { CODE, ERRORS } from '../kernel/errors.ts';


/**
 * Apollo Gateway does not forward subgraph response extensions. Supplier subgraphs report degraded answers in one,
 * the data source collects them into the request context, and this plugin adds them to the client's response, so a
 * client sees in one place which suppliers' figures are stale and since when.
 */
export function useDegradedSuppliers(): ApolloServerPlugin<{ degraded: unknown[] }> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || contextValue.degraded.length === 0) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [DEGRADED_EXTENSION]: contextValue.degraded };
        },
      };
    },
  };
}

/** The supplier a subgraph serves (`supplier-<slug>`), or undefined for the others. */
export const supplierOfSubgraph = (subgraph: string): string | undefined => (subgraph.startsWith('supplier-') ? subgraph.slice('supplier-'.length) : undefined);

/**
 * A subgraph that did not answer within the request's budget plus the gateway's grace (the process is stuck or
 * gone: a subgraph that is only waiting on its supplier answers degraded first). Its fields are null; the rest of
 * the answer stands, so the response stays HTTP 200 (docs/errors.md).
 */
export function subgraphTimedOut(subgraph: string, waitedMs: number): GraphQLError {
  const supplier = supplierOfSubgraph(subgraph);
  return new GraphQLError(`Subgraph ${subgraph} did not answer within ${waitedMs} ms${supplier ? `; supplier ${supplier}'s fields are null` : ''}`, {
    extensions: { code: CODE.SUBGRAPH_TIMEOUT, errorClass: ERRORS.SUBGRAPH_TIMEOUT.errorClass, subgraph, ...(supplier ? { supplier } : {}) },
  });
}

/** A subgraph whose connection failed outright (refused, reset): like a timeout, but without the wait. */
export function subgraphUnreachable(subgraph: string): GraphQLError {
  const supplier = supplierOfSubgraph(subgraph);
  return new GraphQLError(`Subgraph ${subgraph} is unreachable${supplier ? `; supplier ${supplier}'s fields are null` : ''}`, {
    extensions: { code: CODE.SUBGRAPH_UNREACHABLE, errorClass: ERRORS.SUBGRAPH_UNREACHABLE.errorClass, subgraph, ...(supplier ? { supplier } : {}) },
  });
}
