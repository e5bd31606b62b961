import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import type { OperationLimits } from '../../platform/auth/auth-settings.ts';
import { ADMIN_SCOPE, isPartner, missingScopes, type Principal } from '../../platform/auth/principal.ts';
import type { ScopeIndex } from '../../platform/auth/scope-declarations.ts';
import { forbidden, introspectionDisabled, limitExceeded, persistedOperationRequired, variablesTooLarge } from './auth-errors.ts';
import { analyzeOperation, type OperationFacts } from './operation-analysis.ts';
import type { PersistedOperations } from './persisted-operations.ts';
import { CODE } from '../../kernel/errors.ts';

/** Operation facts kept per parsed document (distinct operation names and variables). */
const FACTS_PER_DOCUMENT = 32;

/**
 * The one check of an operation, after validation and before anything runs (docs/security.md): variables size;
 * for partners in safelist mode, that the operation is a persisted one; introspection (admins only); depth,
 * aliases, root fields and estimated cost (everyone); then every selected field's `@scopes` (a root field without
 * a declaration needs `admin`). Two bindings call it: HTTP (use-operation-guard.ts, an Apollo plugin) and
 * graphql-ws (gateway/subscriptions/prepare-subscription.ts), so the WebSocket path cannot drift from HTTP again.
 * Every refusal of a credential holder is told to `onRefused` (the audit log's `token.denied`), on both paths.
 */
export interface OperationPolicyOptions {
  /** The supergraph's `@scopes` declarations. */
  readonly scopes: ScopeIndex;
  /** The supergraph's declared list sizes (`@listSize`, list-sizes.ts), for the cost estimate. */
  readonly listSizes?: ReadonlyMap<string, number> | undefined;
  readonly limits: OperationLimits;
  /** When set, partners may run only these operations, by hash. */
  readonly persisted?: PersistedOperations | undefined;
  /** Told of every refused operation with the refusal's code (FORBIDDEN, PERSISTED_QUERY_REQUIRED, …). */
  readonly onRefused?: ((refusal: Refusal) => void) | undefined;
}

export interface Refusal {
  readonly principal: Principal;
  readonly operationName: string | null;
  readonly code: string;
  readonly requestId: string | undefined;
  /** `http` or `ws`. */
  readonly transport: OperationCheck['transport'];
}

export interface OperationCheck {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName: string | null | undefined;
  /** The operation's text as the client sent it (or as filled in from the safelist by hash). */
  readonly query: string | undefined;
  /** The persisted-query hash the client sent (`extensions.persistedQuery.sha256Hash`), lower case. */
  readonly hash: string | undefined;
  readonly variables: Readonly<Record<string, unknown>> | undefined;
  readonly principal: Principal;
  readonly requestId?: string | undefined;
  readonly transport: 'http' | 'ws';
  /**
   * The gateway's own query derived from an operation this policy already allowed (a subscription event's entity
   * selection, a subscription's snapshot): the safelist covers the operation the client sent, not the queries
   * the gateway derives from it. Scopes and limits still apply.
   */
  readonly derived?: boolean;
}

export type OperationPolicy = (check: OperationCheck) => GraphQLError | null;

/** Refusals about what the credential may do (audited), as opposed to malformed or oversized operations. */
export const ACCESS_REFUSALS: ReadonlySet<string> = new Set([CODE.FORBIDDEN, CODE.PERSISTED_OPERATION_REQUIRED, CODE.INTROSPECTION_DISABLED]);

/** The persisted-query hash of a request's `extensions`, lower case, if any. */
export const persistedHashOf = (extensions: Readonly<Record<string, unknown>> | null | undefined): string | undefined => {
  const hash = (extensions?.['persistedQuery'] as { sha256Hash?: unknown } | undefined)?.sha256Hash;
  return typeof hash === 'string' ? hash.toLowerCase() : undefined;
};

export function createOperationPolicy(options: OperationPolicyOptions): OperationPolicy {
  const { limits, persisted } = options;

  /**
   * The facts of an operation depend only on the schema, the document, the operation name and the variables, never
   * on who asks: they are kept per parsed document (Apollo hands the same DocumentNode for the same text from its
   * document store) and per operation name and variables, so a repeated query is walked once. Held weakly by
   * document and schema: a schema update or an evicted document drops them.
   */
  const factsCache = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, OperationFacts>>>();
  function analyzed(check: OperationCheck, variablesJson: string, analyze: () => OperationFacts): OperationFacts {
    let byDocument = factsCache.get(check.schema);
    if (byDocument === undefined) factsCache.set(check.schema, (byDocument = new WeakMap()));
    let byVariables = byDocument.get(check.document);
    if (byVariables === undefined) byDocument.set(check.document, (byVariables = new Map()));
    const key = `${check.operationName ?? ''}\u0000${variablesJson}`;
    let facts = byVariables.get(key);
    if (facts === undefined) {
      facts = analyze();
      // A document asked with ever-new variables keeps only its latest few.
      if (byVariables.size >= FACTS_PER_DOCUMENT) byVariables.delete(byVariables.keys().next().value!);
      byVariables.set(key, facts);
    }
    return facts;
  }

  function decide(check: OperationCheck): GraphQLError | null {
    const { principal } = check;
    const variablesJson = check.variables ? JSON.stringify(check.variables) : '';
    if (check.variables && Buffer.byteLength(variablesJson, 'utf8') > limits.maxVariablesBytes) return variablesTooLarge(limits.maxVariablesBytes);
    if (persisted && isPartner(principal) && check.derived !== true) {
      if (check.hash === undefined || check.query === undefined || persisted.get(check.hash) !== check.query) return persistedOperationRequired();
    }
    const facts = analyzed(check, variablesJson, () => analyzeOperation({
      schema: check.schema,
      document: check.document,
      operationName: check.operationName,
      variables: check.variables,
      scopes: options.scopes,
      defaultListSize: limits.defaultListSize,
      listSizes: options.listSizes,
      maxVisits: limits.maxCost,
    }));
    if (facts.introspection && isPartner(principal)) return introspectionDisabled();
    if (facts.depth > limits.maxDepth) return limitExceeded('depth', limits.maxDepth, facts.depth);
    if (facts.aliases > limits.maxAliases) return limitExceeded('aliases', limits.maxAliases, facts.aliases);
    if (facts.rootFields > limits.maxRootFields) return limitExceeded('rootFields', limits.maxRootFields, facts.rootFields);
    if (facts.cost > limits.maxCost) return limitExceeded('cost', limits.maxCost, facts.cost);
    const required = new Map(facts.required);
    if (facts.undeclaredRootFields.length > 0) required.set(ADMIN_SCOPE, new Set([...(required.get(ADMIN_SCOPE) ?? []), ...facts.undeclaredRootFields]));
    const missing = missingScopes(principal.scopes, required.keys());
    if (missing.length > 0) return forbidden(missing, [...new Set(missing.flatMap((s) => [...required.get(s)!]))].sort());
    return null;
  }

  return (check) => {
    const refused = decide(check);
    if (refused !== null) {
      options.onRefused?.({
        principal: check.principal,
        operationName: check.operationName ?? null,
        code: String(refused.extensions['code']),
        requestId: check.requestId,
        transport: check.transport,
      });
    }
    return refused;
  };
}
