import type { ApolloServerPlugin } from '@apollo/server';
import type { SupplierContext } from './context.ts';
import { DEGRADED_EXTENSION } from '../../platform/degraded-extension.ts';


/** Appends the request's supplier failures and degradations (see offer-failures.ts) to the response. */
export function reportOfferFailures(): ApolloServerPlugin<SupplierContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (contextValue.failures.size === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const errors = contextValue.failures.toGraphQLErrors().map((e) => e.toJSON());
          if (errors.length > 0) result.errors = [...(result.errors ?? []), ...errors];
          const degraded = contextValue.failures.degradedSuppliers();
          if (degraded.length > 0) result.extensions = { ...result.extensions, [DEGRADED_EXTENSION]: degraded };
        },
      };
    },
  };
}
