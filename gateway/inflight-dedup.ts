import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { Principal } from '../platform/auth/principal.ts';
import { DEGRADED_EXTENSION } from '../platform/degraded-extension.ts';

interface Shared {
  readonly result: Record<string, unknown>;
  readonly status: number | undefined;
  readonly degraded: readonly unknown[];
}

interface DedupContext {
  readonly principal: Principal;
  readonly degraded: unknown[];
}

/**
 * Inbound in-flight de-duplication (GATEWAY_DEDUP=on): identical queries that arrive while one is running share its
 * answer instead of planning and fetching again. Each request is still authenticated, rate-limited, parsed,
 * validated and checked by the operation guard (it runs in didResolveOperation, before this hook), so a request
 * that may not run the operation is refused as before.
 *
 * The key is the operation's text, its name, its variables as sent, and the whole principal (kind, subject, tenant,
 * scopes, allowed suppliers, token id): subgraphs filter by tenant and suppliers and `viewer` answers with the
 * caller's identity, so an answer is shared only between requests made as the very same principal. Only queries:
 * a mutation or a subscription always runs. Only while the first is in flight: nothing is kept afterwards (this is
 * no response cache). A follower shares the leader's data, errors and degraded-supplier notices; its request id
 * and response headers stay its own.
 */
export interface InflightDedup extends ApolloServerPlugin<DedupContext> {
  readonly inFlight: () => number;
  /**
   * Apollo's `stringifyResult`: serializes a shared answer once for its whole group. Followers hand Apollo the
   * leader's very `data` object, so the text is kept per `data` object (weakly) and reused when the errors are the
   * same array and the extensions serialize alike. Only requests that share one execution share a `data` object.
   */
  readonly stringifyResult: (value: FormattedExecutionResult) => string;
}

export function useInflightDedup(): InflightDedup {
  const inflight = new Map<string, Promise<Shared | undefined>>();
  const serialized = new WeakMap<object, { errors: unknown; extensions: string; text: string }>();
  return {
    inFlight: () => inflight.size,
    stringifyResult(value) {
      const data = value.data;
      // Apollo's own serialization (prettyJSONStringify), byte for byte.
      if (data === null || data === undefined) return `${JSON.stringify(value)}\n`;
      const extensions = JSON.stringify(value.extensions ?? null);
      const kept = serialized.get(data);
      if (kept !== undefined && kept.errors === value.errors && kept.extensions === extensions) return kept.text;
      const text = `${JSON.stringify(value)}\n`;
      serialized.set(data, { errors: value.errors, extensions, text });
      return text;
    },
    async requestDidStart() {
      let settle: ((shared: Shared | undefined) => void) | undefined;
      let key: string | undefined;
      return {
        async responseForOperation({ operation, request, contextValue }): Promise<GraphQLResponse | null> {
          if (operation.operation !== 'query' || request.query === undefined) return null;
          const p = contextValue.principal;
          key = JSON.stringify([request.query, request.operationName ?? null, request.variables ?? null, p.kind, p.subject, p.tenant, [...p.scopes].sort(), p.suppliers ?? null, p.tokenId ?? null]);
          const leader = inflight.get(key);
          if (leader !== undefined) {
            const shared = await leader;
            // The leader failed outside GraphQL (no single result): run this one on its own.
            if (shared === undefined) return null;
            contextValue.degraded.push(...shared.degraded);
            return { body: { kind: 'single', singleResult: { ...shared.result } }, http: { status: shared.status, headers: new HeaderMap() } };
          }
          inflight.set(key, new Promise((resolve) => (settle = resolve)));
          return null;
        },
        async willSendResponse({ response, contextValue }) {
          if (settle === undefined || key === undefined) return;
          inflight.delete(key);
          const body = response.body;
          if (body.kind !== 'single') {
            settle(undefined);
          } else {
            // The degraded notices are added to each response from its own context (useDegradedSuppliers), so the
            // shared result carries them through `degraded`, not twice.
            const { [DEGRADED_EXTENSION]: _notices, ...extensions } = body.singleResult.extensions ?? {};
            const result = { ...body.singleResult, extensions: Object.keys(extensions).length > 0 ? extensions : undefined };
            settle({ result, status: response.http.status, degraded: [...contextValue.degraded] });
          }
          settle = undefined;
        },
      };
    },
  };
}
