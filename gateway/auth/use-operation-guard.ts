import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import { ADMIN_SCOPE, isPartner, missingScopes, type Principal } from '../../platform/auth/principal.ts';
import type { ScopeIndex } from '../../platform/auth/scope-declarations.ts';
import type { OperationLimits } from '../../platform/auth/auth-settings.ts';
import { forbidden, introspectionDisabled, limitExceeded, persistedOperationRequired, variablesTooLarge } from './auth-errors.ts';
import { analyzeOperation } from './operation-analysis.ts';
import type { PersistedOperations } from './persisted-operations.ts';

export interface OperationGuardOptions {
  /** The supergraph's `@scopes` declarations. */
  readonly scopes: ScopeIndex;
  readonly limits: OperationLimits;
  /** When set, partners may run only these operations, by hash. */
  readonly persisted?: PersistedOperations | undefined;
  /** Told of every operation refused for missing scopes (the audit log's `token.denied`). */
  readonly onForbidden?: (principal: Principal, operationName: string | null, requestId: string | undefined) => void;
}

const hashOf = (request: GraphQLRequest): string | undefined => {
  const hash = (request.extensions?.['persistedQuery'] as { sha256Hash?: unknown } | undefined)?.sha256Hash;
  return typeof hash === 'string' ? hash.toLowerCase() : undefined;
};

/**
 * The gateway's checks of an operation, after validation and before planning, so before any subgraph is asked
 * (docs/security.md): variables size; for partners in safelist mode, that the operation is a persisted one;
 * introspection (admins only); depth, aliases, root fields and estimated cost (everyone); then every selected
 * field's `@scopes`. A root field without a declaration needs `admin`.
 * A rejected operation never reaches a subgraph, so it changes nothing.
 */
export function useOperationGuard(options: OperationGuardOptions): ApolloServerPlugin<{ principal: Principal; requestId?: string }> {
  const { limits, persisted } = options;
  return {
    async requestDidStart({ request }) {
      // A persisted operation sent by hash alone: fill in its text before Apollo looks for it in its APQ cache.
      const hash = hashOf(request);
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
          if (request.variables && Buffer.byteLength(JSON.stringify(request.variables), 'utf8') > limits.maxVariablesBytes) {
            throw variablesTooLarge(limits.maxVariablesBytes);
          }
          if (persisted && isPartner(contextValue.principal)) {
            const h = hashOf(request);
            if (h === undefined || persisted.get(h) !== request.query) throw persistedOperationRequired();
          }
          const facts = analyzeOperation({
            schema,
            document,
            operationName,
            variables: request.variables,
            scopes: options.scopes,
            defaultListSize: limits.defaultListSize,
            maxVisits: limits.maxCost,
          });
          const principal = contextValue.principal;
          if (facts.introspection && isPartner(principal)) throw introspectionDisabled();
          if (facts.depth > limits.maxDepth) throw limitExceeded('depth', limits.maxDepth, facts.depth);
          if (facts.aliases > limits.maxAliases) throw limitExceeded('aliases', limits.maxAliases, facts.aliases);
          if (facts.rootFields > limits.maxRootFields) throw limitExceeded('rootFields', limits.maxRootFields, facts.rootFields);
          if (facts.cost > limits.maxCost) throw limitExceeded('cost', limits.maxCost, facts.cost);
          const required = new Map(facts.required);
          if (facts.undeclaredRootFields.length > 0) required.set(ADMIN_SCOPE, new Set([...(required.get(ADMIN_SCOPE) ?? []), ...facts.undeclaredRootFields]));
          const missing = missingScopes(principal.scopes, required.keys());
          if (missing.length > 0) {
            options.onForbidden?.(principal, operationName, contextValue.requestId);
            throw forbidden(missing, [...new Set(missing.flatMap((s) => [...required.get(s)!]))].sort());
          }
        },
      };
    },
  };
}
