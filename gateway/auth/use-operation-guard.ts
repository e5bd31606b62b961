import type { ApolloServerPlugin } from '@apollo/server';
import type { Principal } from '../../platform/auth/principal.ts';
import { createOperationPolicy, persistedHashOf, type OperationPolicy, type OperationPolicyOptions } from './operation-policy.ts';

export type OperationGuardOptions = OperationPolicyOptions;

/** What the guard reads from Apollo's context: `derived` is set only by the gateway on its own derived queries. */
export interface GuardContext {
  principal: Principal;
  requestId?: string;
  /** A query the gateway derives from an allowed subscription (operation-policy.ts, `derived`). */
  derived?: boolean;
}

/**
 * The HTTP binding of the one operation policy (operation-policy.ts): runs it after validation and before
 * planning, so before any subgraph is asked. A rejected operation never reaches a subgraph, so it changes nothing.
 * Pass an existing policy to share it with the graphql-ws binding, or options to build one.
 */
export function useOperationGuard(options: OperationGuardOptions | { readonly policy: OperationPolicy; readonly persisted?: OperationPolicyOptions['persisted'] }): ApolloServerPlugin<GuardContext> {
  const policy = 'policy' in options ? options.policy : createOperationPolicy(options);
  const { persisted } = options;
  return {
    async requestDidStart({ request }) {
      // A persisted operation sent by hash alone: fill in its text before Apollo looks for it in its APQ cache.
      const hash = persistedHashOf(request.extensions);
      if (persisted && hash !== undefined && request.query === undefined) {
        const text = persisted.get(hash);
        if (text !== undefined) request.query = text;
      }
      return {
        // Apollo turns an error thrown before this hook into a 500, so every check is here. Parsing and validation
        // before it are bounded by the parser's token limit.
        async didResolveOperation({ request, schema, document, operation, operationName, contextValue }) {
          // No such operation in the document: Apollo answers that itself, and nothing runs.
          if (!operation) return;
          const refused = policy({
            schema,
            document,
            operationName,
            query: request.query,
            hash: persistedHashOf(request.extensions),
            variables: request.variables,
            principal: contextValue.principal,
            requestId: contextValue.requestId,
            transport: 'http',
            derived: contextValue.derived === true,
          });
          if (refused !== null) throw refused;
        },
      };
    },
  };
}
