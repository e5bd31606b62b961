import type { ApolloServerPlugin } from '@apollo/server';
import type { SupplierContext } from './context.ts';

/** Appends the request's supplier failures (see offer-failures.ts) to the response's errors. */
export function reportOfferFailures(): ApolloServerPlugin<SupplierContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (contextValue.failures.size === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const extra = contextValue.failures.toGraphQLErrors().map((e) => e.toJSON());
          result.errors = [...(result.errors ?? []), ...extra];
        },
      };
    },
  };
}
