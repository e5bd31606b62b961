import type { ApolloServerPlugin } from '@apollo/server';
import { DEGRADED_EXTENSION } from '../platform/degraded-extension.ts';


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
