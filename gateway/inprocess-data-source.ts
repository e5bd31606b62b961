/**
 * GATEWAY_INPROCESS_SUBGRAPHS: the data source of a subgraph that runs in the gateway's own process (`npm start`,
 * stack/start-stack.ts). The fetch's operation is executed by that subgraph's Apollo server directly: no HTTP request,
 * no `x-gateway-auth` to sign and verify (no body hash, no `jti` claim: the principal is handed over as the verified
 * object — the process is the trust boundary either way), no JSON serialise/parse of the answer's data. What the HTTP
 * path gives the subgraph still holds (docs/security.md, "Gateway → subgraph trust"): the principal exactly as the
 * verifier would rebuild it from the signed claims, the request id, what is left of the budget (capped by the
 * subgraph as the header is), the degraded-suppliers extension, a `<subgraph> /graphql` server span under the
 * gateway's fetch span, and the gateway's own cut at the budget plus the grace (SUBGRAPH_TIMEOUT).
 */
import { STATUS_CODES } from 'node:http';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError, type FormattedExecutionResult } from 'graphql';
import { isKnownScope, type Principal } from '../platform/auth/principal.ts';
import { isTokenClass } from '../platform/auth/token-class.ts';
import { DEGRADED_EXTENSION } from '../platform/degraded-extension.ts';
import type { BudgetSettings } from '../platform/http/request-budget.ts';
import type { Logger } from '../platform/logger.ts';
import { inSpan, SpanKind } from '../platform/tracing/spans.ts';
import { subgraphTimedOut, subgraphUnreachable, supplierOfSubgraph } from './degraded-suppliers.ts';
import type { EntityCache } from './entity-cache.ts';

/** One operation for a co-located subgraph (the shape subgraphs/serve.ts exposes; the gateway imports no subgraph). */
export interface InProcessRequest {
  readonly query: string;
  readonly variables?: Record<string, unknown> | undefined;
  readonly operationName?: string | undefined;
}

export interface InProcessSubgraph {
  execute(
    request: InProcessRequest,
    call: { readonly principal: Principal; readonly requestId: string; readonly budgetMs: number },
  ): Promise<{ readonly status: number; readonly cacheControl: string | undefined; readonly body: FormattedExecutionResult }>;
}

/** What the data source reads off the gateway's per-request context (GatewayContext). */
interface CallerContext {
  readonly requestId: string;
  readonly principal: Principal;
  readonly degraded: unknown[];
  readonly budget?: { remainingMs(): number };
}

export interface InProcessDataSourceOptions {
  readonly name: string;
  /** The subgraph's URL: named in errors as the HTTP path names it; nothing is sent there. */
  readonly url: string;
  readonly subgraph: InProcessSubgraph;
  readonly budget: BudgetSettings;
  readonly log: Logger;
  /** GATEWAY_ENTITY_CACHE: its fetches work on request bodies, so a cached subgraph's answers are serialised once. */
  readonly entityCache?: EntityCache;
}

const handed = new WeakMap<Principal, Principal>();

/**
 * The principal as the subgraph's verifier builds it from the signed claims (platform/auth/gateway-token.ts:
 * `principalOf`): kind, subject, tenant, known scopes, suppliers, token id and class — frozen, nothing else (no
 * `expiresAt`). Kept per principal object: a plan's fetches share one.
 */
export function handedPrincipal(principal: Principal): Principal {
  let copy = handed.get(principal);
  if (copy === undefined) {
    copy = Object.freeze({
      kind: principal.kind,
      subject: principal.subject,
      tenant: principal.tenant,
      scopes: Object.freeze(principal.scopes.filter(isKnownScope)),
      ...(Array.isArray(principal.suppliers) ? { suppliers: Object.freeze(principal.suppliers.filter((s): s is string => typeof s === 'string')) } : {}),
      ...(typeof principal.tokenId === 'string' ? { tokenId: principal.tokenId } : {}),
      ...(isTokenClass(principal.tokenClass) ? { tokenClass: principal.tokenClass } : {}),
    });
    handed.set(principal, copy);
  }
  return copy;
}

/**
 * Errors and extensions as the HTTP path delivers them: every error carries `extensions.requestId` (added by the
 * subgraph's HTTP handler, platform/http/apollo-handler.ts), and both are plain JSON values (they are small and rare;
 * `data`, the bulk, is handed over as built).
 */
function asDelivered(body: FormattedExecutionResult, requestId: string): GatewayGraphQLResponse {
  const response: { data?: unknown; errors?: unknown; extensions?: unknown } = {};
  if (body.errors !== undefined) {
    response.errors = JSON.parse(JSON.stringify(body.errors.map((error) => ({ ...error, extensions: { ...(error.extensions ?? {}), requestId } }))));
  }
  if ('data' in body) response.data = body.data;
  if (body.extensions !== undefined) response.extensions = JSON.parse(JSON.stringify(body.extensions));
  return response as GatewayGraphQLResponse;
}

/** A non-2xx answer, as RemoteGraphQLDataSource's `errorFromResponse` reports it over HTTP. */
function statusError(url: string, status: number, body: unknown): GraphQLError {
  const statusText = STATUS_CODES[status] ?? '';
  const extensions: Record<string, unknown> = { response: { url, status, statusText, body } };
  if (status === 401) extensions.code = 'UNAUTHENTICATED';
  else if (status === 403) extensions.code = 'FORBIDDEN';
  return new GraphQLError(`${status}: ${statusText}`, { extensions });
}

/** The cache hint RemoteGraphQLDataSource takes from a subgraph's `cache-control` header (none: max-age 0). */
function cacheHintOf(header: string | undefined): { maxAge: number; scope?: 'PRIVATE' | 'PUBLIC' } {
  const hint: { maxAge: number; scope?: 'PRIVATE' | 'PUBLIC' } = { maxAge: 0 };
  for (const part of (header ?? '').split(',')) {
    const [key, value] = part.trim().split('=');
    if (key === 'max-age' && value !== undefined && /^[0-9]+$/.test(value)) hint.maxAge = Number(value);
    if (key === 'private') hint.scope = 'PRIVATE';
    if (key === 'public') hint.scope = 'PUBLIC';
  }
  return hint;
}

export function createInProcessDataSource(options: InProcessDataSourceOptions): GraphQLDataSource<CallerContext> {
  const { name, url, subgraph, budget, log } = options;
  const supplier = supplierOfSubgraph(name);

  /** The answer, raced against the budget plus the grace: what the HTTP path's fetch timeout does (subgraph-fetch.ts). */
  const withinBudget = async <T>(work: Promise<T>, requestId: string, handedMs: number): Promise<T> => {
    const waitMs = handedMs + budget.graceMs;
    const fields = { requestId, subgraph: name, ...(supplier ? { supplier } : {}) };
    let timer: NodeJS.Timeout | undefined;
    const cut = subgraphTimedOut(name, waitMs);
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(cut), waitMs);
    });
    // Left running past the cut, like a stuck subgraph process; its own budget stops its supplier calls.
    work.catch(() => {});
    try {
      return await Promise.race([work, deadline]);
    } catch (error) {
      if (error === cut) {
        log.warn({ ...fields, budgetMs: handedMs, waitedMs: waitMs }, 'subgraph did not answer within the request budget');
        throw error;
      }
      // The subgraph's server is stopped (closing): the same error as a subgraph process that is gone.
      log.warn({ ...fields, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }, 'subgraph unreachable');
      throw subgraphUnreachable(name);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async process(processOptions: GraphQLDataSourceProcessOptions<CallerContext>): Promise<GatewayGraphQLResponse> {
      const { request } = processOptions;
      const context = processOptions.context as Partial<CallerContext>;
      const principal = context.principal;
      const requestId = context.requestId ?? '';
      // Without a principal the HTTP path sends an unsigned request, which the subgraph refuses: failing closed.
      if (principal === undefined) throw statusError(url, 401, { errors: [{ message: 'Only the gateway may call this subgraph: missing gateway signature', extensions: { code: 'UNAUTHENTICATED', reason: 'missing' } }] });
      if (!request.query) throw new Error('Missing query');
      const handedMs = context.budget?.remainingMs() ?? budget.defaultMs;
      const call = { principal: handedPrincipal(principal), requestId, budgetMs: handedMs };
      const operation: InProcessRequest = { query: request.query, variables: request.variables, operationName: request.operationName };

      const answered = await inSpan(`${name} /graphql`, {}, () => {
        if (options.entityCache === undefined) return withinBudget(subgraph.execute(operation, call), requestId, handedMs);
        // The entity cache works on bodies: the in-process answer is serialised for it (still no HTTP, no signature).
        const send = async (_input: string, init: RequestInit): Promise<Response> => {
          const sent = JSON.parse(String(init.body)) as InProcessRequest;
          const answer = await subgraph.execute(sent, call);
          return new Response(JSON.stringify(asDelivered(answer.body, requestId)), { status: answer.status, headers: { 'content-type': 'application/json', ...(answer.cacheControl ? { 'cache-control': answer.cacheControl } : {}) } });
        };
        const body = JSON.stringify({ query: operation.query, variables: operation.variables, operationName: operation.operationName });
        const viaCache = options.entityCache.fetch(name, principal, url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, send).then(async (response) => ({
          status: response.status,
          cacheControl: response.headers.get('cache-control') ?? undefined,
          body: (await response.json()) as FormattedExecutionResult,
        }));
        return withinBudget(viaCache, requestId, handedMs);
      }, SpanKind.SERVER);

      if (answered.status < 200 || answered.status > 299) throw statusError(url, answered.status, asDelivered(answered.body, requestId));
      const response = asDelivered(answered.body, requestId);
      // What the data source's didReceiveResponse does on the HTTP path (create-gateway.ts): merged into the response.
      const degraded = (response.extensions as Record<string, unknown> | undefined)?.[DEGRADED_EXTENSION];
      if (Array.isArray(degraded)) context.degraded?.push(...degraded);
      // As RemoteGraphQLDataSource does for an incoming operation: the subgraph's cache hint restricts the answer's.
      const incoming = (processOptions as { incomingRequestContext?: { overallCachePolicy?: { restrict?: (hint: object) => void } } }).incomingRequestContext;
      incoming?.overallCachePolicy?.restrict?.(cacheHintOf(answered.cacheControl));
      return response;
    },
  };
}
